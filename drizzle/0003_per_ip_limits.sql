DROP INDEX "login_attempts_key";--> statement-breakpoint
ALTER TABLE "login_attempts" ADD COLUMN "purpose" text DEFAULT 'login' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "login_attempts_key" ON "login_attempts" USING btree ("purpose","ip","window_start");--> statement-breakpoint
ALTER TABLE "login_attempts" ADD CONSTRAINT "login_attempts_purpose_check" CHECK ("login_attempts"."purpose" ~ '^[a-z][a-z0-9_]{0,29}$');