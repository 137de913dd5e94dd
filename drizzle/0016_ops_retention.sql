CREATE TABLE "ops_retention_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trigger" text NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	CONSTRAINT "ops_retention_runs_trigger_check" CHECK ("ops_retention_runs"."trigger" in ('SCHEDULED','CLI')),
	CONSTRAINT "ops_retention_runs_status_check" CHECK ("ops_retention_runs"."status" in ('SUCCEEDED','FAILED')),
	CONSTRAINT "ops_retention_runs_outcome_check" CHECK (("ops_retention_runs"."status" = 'SUCCEEDED') = ("ops_retention_runs"."error" is null))
);
--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "minimised_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "closed_application_retention_days" integer DEFAULT 1095 NOT NULL;--> statement-breakpoint
CREATE INDEX "ops_retention_runs_started_idx" ON "ops_retention_runs" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "applications_minimise_idx" ON "applications" USING btree ("programme_id","updated_at") WHERE "applications"."minimised_at" is null and "applications"."status" in ('REJECTED','BANK_REJECTED','ENDORSED','ISSUED','CANCELLED');--> statement-breakpoint
ALTER TABLE "programmes" ADD CONSTRAINT "programmes_closed_retention_check" CHECK ("programmes"."closed_application_retention_days" between 30 and 3650);
