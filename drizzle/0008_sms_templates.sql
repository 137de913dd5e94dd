CREATE TABLE "sms_campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"request_key" text NOT NULL,
	"name" text NOT NULL,
	"template_id" uuid NOT NULL,
	"source" text NOT NULL,
	"source_detail" jsonb NOT NULL,
	"recipients" integer NOT NULL,
	"queued" integer NOT NULL,
	"segments" integer NOT NULL,
	"cost_milli_fen" bigint NOT NULL,
	"created_by_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_campaigns_name_check" CHECK (char_length("sms_campaigns"."name") between 1 and 100),
	CONSTRAINT "sms_campaigns_source_check" CHECK ("sms_campaigns"."source" in ('CSV','CARD_QUERY')),
	CONSTRAINT "sms_campaigns_counts_check" CHECK ("sms_campaigns"."recipients" >= 1 and "sms_campaigns"."queued" between 0 and "sms_campaigns"."recipients" and "sms_campaigns"."segments" >= "sms_campaigns"."recipients" and "sms_campaigns"."cost_milli_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "sms_client_quotas" (
	"api_key_id" uuid PRIMARY KEY NOT NULL,
	"daily_limit" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_client_quotas_limit_check" CHECK ("sms_client_quotas"."daily_limit" >= 0)
);
--> statement-breakpoint
CREATE TABLE "sms_client_usage" (
	"api_key_id" uuid NOT NULL,
	"day" text NOT NULL,
	"sent" integer NOT NULL,
	CONSTRAINT "sms_client_usage_api_key_id_day_pk" PRIMARY KEY("api_key_id","day"),
	CONSTRAINT "sms_client_usage_day_check" CHECK ("sms_client_usage"."day" ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
	CONSTRAINT "sms_client_usage_sent_check" CHECK ("sms_client_usage"."sent" >= 0)
);
--> statement-breakpoint
CREATE TABLE "sms_signatures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"text" text NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_signatures_text_check" CHECK (char_length("sms_signatures"."text") between 2 and 16 and "sms_signatures"."text" !~ '[【】]')
);
--> statement-breakpoint
CREATE TABLE "sms_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"signature_id" uuid NOT NULL,
	"body" text NOT NULL,
	"category" text NOT NULL,
	"status" text DEFAULT 'DRAFT' NOT NULL,
	"created_by_id" uuid NOT NULL,
	"submitted_at" timestamp with time zone,
	"decided_by_id" uuid,
	"decided_at" timestamp with time zone,
	"reject_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_templates_name_check" CHECK ("sms_templates"."name" ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'),
	CONSTRAINT "sms_templates_version_check" CHECK ("sms_templates"."version" >= 1),
	CONSTRAINT "sms_templates_body_check" CHECK (char_length("sms_templates"."body") between 1 and 500),
	CONSTRAINT "sms_templates_category_check" CHECK ("sms_templates"."category" in ('NOTIFICATION','MARKETING')),
	CONSTRAINT "sms_templates_status_check" CHECK ("sms_templates"."status" in ('DRAFT','PENDING_APPROVAL','APPROVED','REJECTED','SUPERSEDED')),
	CONSTRAINT "sms_templates_four_eyes_check" CHECK ("sms_templates"."decided_by_id" is null or "sms_templates"."decided_by_id" <> "sms_templates"."created_by_id"),
	CONSTRAINT "sms_templates_decided_check" CHECK ("sms_templates"."status" not in ('APPROVED','REJECTED','SUPERSEDED') or ("sms_templates"."decided_by_id" is not null and "sms_templates"."decided_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "sms_campaigns" ADD CONSTRAINT "sms_campaigns_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_campaigns" ADD CONSTRAINT "sms_campaigns_template_id_sms_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."sms_templates"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_campaigns" ADD CONSTRAINT "sms_campaigns_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_client_quotas" ADD CONSTRAINT "sms_client_quotas_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_client_usage" ADD CONSTRAINT "sms_client_usage_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_signatures" ADD CONSTRAINT "sms_signatures_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_signatures" ADD CONSTRAINT "sms_signatures_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_templates" ADD CONSTRAINT "sms_templates_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_templates" ADD CONSTRAINT "sms_templates_signature_id_sms_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "public"."sms_signatures"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_templates" ADD CONSTRAINT "sms_templates_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_templates" ADD CONSTRAINT "sms_templates_decided_by_id_users_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sms_campaigns_request_key" ON "sms_campaigns" USING btree ("org_id","request_key");--> statement-breakpoint
CREATE INDEX "sms_campaigns_org_created_idx" ON "sms_campaigns" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sms_signatures_org_text_key" ON "sms_signatures" USING btree ("org_id","text");--> statement-breakpoint
CREATE UNIQUE INDEX "sms_templates_name_version_key" ON "sms_templates" USING btree ("org_id","name","version");--> statement-breakpoint
CREATE UNIQUE INDEX "sms_templates_open_key" ON "sms_templates" USING btree ("org_id","name") WHERE "sms_templates"."status" in ('DRAFT','PENDING_APPROVAL');--> statement-breakpoint
CREATE UNIQUE INDEX "sms_templates_approved_key" ON "sms_templates" USING btree ("org_id","name") WHERE "sms_templates"."status" = 'APPROVED';
