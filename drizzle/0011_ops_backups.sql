CREATE TABLE "ops_backups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trigger" text NOT NULL,
	"status" text NOT NULL,
	"engine" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"manifest_path" text,
	"bytes" bigint,
	"table_count" integer,
	"error" text,
	CONSTRAINT "ops_backups_trigger_check" CHECK ("ops_backups"."trigger" in ('SCHEDULED','CLI')),
	CONSTRAINT "ops_backups_status_check" CHECK ("ops_backups"."status" in ('SUCCEEDED','FAILED')),
	CONSTRAINT "ops_backups_engine_check" CHECK ("ops_backups"."engine" in ('pglite','postgres')),
	CONSTRAINT "ops_backups_outcome_check" CHECK (("ops_backups"."status" = 'SUCCEEDED') = ("ops_backups"."manifest_path" is not null and "ops_backups"."error" is null))
);
--> statement-breakpoint
CREATE INDEX "ops_backups_started_idx" ON "ops_backups" USING btree ("started_at");
