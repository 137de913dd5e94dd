CREATE TABLE "maintenance_report_settings" (
	"contract_id" uuid PRIMARY KEY NOT NULL,
	"kinds" text[] NOT NULL,
	"roll_due_dates" boolean DEFAULT true NOT NULL,
	"required_from" date NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_report_settings_kinds_check" CHECK ("maintenance_report_settings"."kinds" <@ array['WEEKLY','MONTHLY','ANNUAL']::text[])
);
--> statement-breakpoint
CREATE TABLE "maintenance_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contract_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"due_date" date NOT NULL,
	"status" text NOT NULL,
	"content" jsonb NOT NULL,
	"generated_at" timestamp with time zone NOT NULL,
	"first_submitted_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"submitted_by_id" uuid,
	"reviewed_at" timestamp with time zone,
	"reviewed_by_id" uuid,
	"review_note" text,
	"late_breach_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_reports_kind_check" CHECK ("maintenance_reports"."kind" in ('WEEKLY','MONTHLY','ANNUAL')),
	CONSTRAINT "maintenance_reports_status_check" CHECK ("maintenance_reports"."status" in ('DRAFT','SUBMITTED','ACCEPTED','RETURNED')),
	CONSTRAINT "maintenance_reports_period_check" CHECK ("maintenance_reports"."period_end" >= "maintenance_reports"."period_start" and "maintenance_reports"."due_date" > "maintenance_reports"."period_end"),
	CONSTRAINT "maintenance_reports_submitted_check" CHECK (("maintenance_reports"."status" = 'DRAFT') = ("maintenance_reports"."submitted_at" is null) and ("maintenance_reports"."submitted_at" is null or "maintenance_reports"."first_submitted_at" <= "maintenance_reports"."submitted_at")),
	CONSTRAINT "maintenance_reports_reviewed_check" CHECK (("maintenance_reports"."status" in ('ACCEPTED','RETURNED')) = ("maintenance_reports"."reviewed_at" is not null)),
	CONSTRAINT "maintenance_reports_note_check" CHECK ("maintenance_reports"."review_note" is null or char_length("maintenance_reports"."review_note") <= 500)
);
--> statement-breakpoint
ALTER TABLE "maintenance_report_settings" ADD CONSTRAINT "maintenance_report_settings_contract_id_maintenance_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."maintenance_contracts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_reports" ADD CONSTRAINT "maintenance_reports_contract_id_maintenance_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."maintenance_contracts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_reports" ADD CONSTRAINT "maintenance_reports_submitted_by_id_users_id_fk" FOREIGN KEY ("submitted_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_reports" ADD CONSTRAINT "maintenance_reports_reviewed_by_id_users_id_fk" FOREIGN KEY ("reviewed_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_reports" ADD CONSTRAINT "maintenance_reports_late_breach_id_maintenance_breaches_id_fk" FOREIGN KEY ("late_breach_id") REFERENCES "public"."maintenance_breaches"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "maintenance_reports_period_key" ON "maintenance_reports" USING btree ("contract_id","kind","period_start");--> statement-breakpoint
CREATE INDEX "maintenance_reports_due_idx" ON "maintenance_reports" USING btree ("status","due_date");
