CREATE TABLE "sms_usage_lists" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider" text NOT NULL,
	"provider_org_id" uuid NOT NULL,
	"month" text NOT NULL,
	"handed_over_on" date NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"submitted_by" text NOT NULL,
	"submitted_by_name" text NOT NULL,
	"submitted_by_org_kind" text NOT NULL,
	"authority_caused" boolean DEFAULT false NOT NULL,
	"messages" integer NOT NULL,
	"billed_segments" integer NOT NULL,
	"amount_fen" bigint NOT NULL,
	"replaced_at" timestamp with time zone,
	"replaced_by_name" text,
	CONSTRAINT "sms_usage_lists_month_check" CHECK ("sms_usage_lists"."month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
	CONSTRAINT "sms_usage_lists_totals_check" CHECK ("sms_usage_lists"."messages" >= 0 and "sms_usage_lists"."billed_segments" >= 0 and "sms_usage_lists"."amount_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "sms_fault_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"fault_no" text NOT NULL,
	"provider" text NOT NULL,
	"provider_org_id" uuid NOT NULL,
	"reported_at" timestamp with time zone NOT NULL,
	"reported_by_name" text NOT NULL,
	"summary" text NOT NULL,
	"details" text,
	"arrive_within_minutes" integer NOT NULL,
	"clear_within_minutes" integer NOT NULL,
	"arrived_at" timestamp with time zone,
	"cleared_at" timestamp with time zone,
	"progress_by_name" text,
	"assessed_percent" text,
	"assessed_by_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_fault_reports_order_check" CHECK (("sms_fault_reports"."arrived_at" is null or "sms_fault_reports"."arrived_at" >= "sms_fault_reports"."reported_at") and ("sms_fault_reports"."cleared_at" is null or ("sms_fault_reports"."arrived_at" is not null and "sms_fault_reports"."cleared_at" >= "sms_fault_reports"."arrived_at"))),
	CONSTRAINT "sms_fault_reports_limits_check" CHECK ("sms_fault_reports"."arrive_within_minutes" > 0 and "sms_fault_reports"."clear_within_minutes" > 0)
);
--> statement-breakpoint
ALTER TABLE "sms_usage_lists" ADD CONSTRAINT "sms_usage_lists_provider_org_id_organisations_id_fk" FOREIGN KEY ("provider_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_fault_reports" ADD CONSTRAINT "sms_fault_reports_provider_org_id_organisations_id_fk" FOREIGN KEY ("provider_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sms_usage_lists_provider_month_key" ON "sms_usage_lists" USING btree ("provider","month");--> statement-breakpoint
CREATE UNIQUE INDEX "sms_fault_reports_fault_no_key" ON "sms_fault_reports" USING btree ("fault_no");--> statement-breakpoint
CREATE INDEX "sms_fault_reports_provider_idx" ON "sms_fault_reports" USING btree ("provider","reported_at");
