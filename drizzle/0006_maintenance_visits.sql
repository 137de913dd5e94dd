CREATE TABLE "maintenance_visits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contract_id" uuid NOT NULL,
	"site_org_id" uuid NOT NULL,
	"month" text NOT NULL,
	"kind" text NOT NULL,
	"services" text[] NOT NULL,
	"engineer_id" uuid,
	"status" text NOT NULL,
	"answers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"signer_name_enc" text,
	"signer_name_masked" text,
	"signature_enc" "bytea",
	"signature_sm3" text,
	"signed_at" timestamp with time zone,
	"signed_by_id" uuid,
	"missed_breach_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_visits_month_check" CHECK ("maintenance_visits"."month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
	CONSTRAINT "maintenance_visits_kind_check" CHECK ("maintenance_visits"."kind" in ('PREVENTIVE','PHOTO_AT_HOME')),
	CONSTRAINT "maintenance_visits_status_check" CHECK ("maintenance_visits"."status" in ('PLANNED','IN_PROGRESS','SIGNED')),
	CONSTRAINT "maintenance_visits_services_check" CHECK ("maintenance_visits"."services" <@ array['SOCIAL_SECURITY_CARD','RESIDENCE_PERMIT']::text[]),
	CONSTRAINT "maintenance_visits_answers_check" CHECK (jsonb_typeof("maintenance_visits"."answers") = 'array'),
	CONSTRAINT "maintenance_visits_planned_check" CHECK ("maintenance_visits"."status" <> 'PLANNED' or jsonb_array_length("maintenance_visits"."answers") = 0),
	CONSTRAINT "maintenance_visits_signed_check" CHECK (("maintenance_visits"."status" = 'SIGNED') = ("maintenance_visits"."signer_name_enc" is not null and "maintenance_visits"."signer_name_masked" is not null and "maintenance_visits"."signature_enc" is not null and "maintenance_visits"."signature_sm3" is not null and "maintenance_visits"."signed_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "maintenance_visits" ADD CONSTRAINT "maintenance_visits_contract_id_maintenance_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."maintenance_contracts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_visits" ADD CONSTRAINT "maintenance_visits_site_org_id_organisations_id_fk" FOREIGN KEY ("site_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_visits" ADD CONSTRAINT "maintenance_visits_engineer_id_users_id_fk" FOREIGN KEY ("engineer_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_visits" ADD CONSTRAINT "maintenance_visits_signed_by_id_users_id_fk" FOREIGN KEY ("signed_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_visits" ADD CONSTRAINT "maintenance_visits_missed_breach_id_maintenance_breaches_id_fk" FOREIGN KEY ("missed_breach_id") REFERENCES "public"."maintenance_breaches"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "maintenance_visits_preventive_key" ON "maintenance_visits" USING btree ("site_org_id","month","kind") WHERE "maintenance_visits"."kind" = 'PREVENTIVE';--> statement-breakpoint
CREATE INDEX "maintenance_visits_contract_month_idx" ON "maintenance_visits" USING btree ("contract_id","month","status");--> statement-breakpoint
CREATE INDEX "maintenance_visits_engineer_idx" ON "maintenance_visits" USING btree ("engineer_id","month");