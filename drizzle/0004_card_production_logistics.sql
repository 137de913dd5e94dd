CREATE SEQUENCE "public"."batch_no_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE SEQUENCE "public"."shipment_no_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "card_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"programme_id" uuid NOT NULL,
	"card_kind" text NOT NULL,
	"attempt_no" integer NOT NULL,
	"mode" text NOT NULL,
	"batch_id" uuid,
	"packing_seq" integer,
	"producer_org_id" uuid,
	"receiver_org_id" uuid NOT NULL,
	"status" text NOT NULL,
	"record_sm3" text,
	"photo_sm3" text,
	"card_no" text,
	"chip_uid" text,
	"waste_reason" text,
	"waste_cause" text,
	"shipment_id" uuid,
	"clock_start_at" timestamp with time zone,
	"production_due_at" timestamp with time zone,
	"delivery_due_at" timestamp with time zone,
	"produced_at" timestamp with time zone,
	"shipped_at" timestamp with time zone,
	"received_at" timestamp with time zone,
	"issued_at" timestamp with time zone,
	"social_activated_at" timestamp with time zone,
	"financial_activated_at" timestamp with time zone,
	"lost_temp_until" timestamp with time zone,
	"replaces_card_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "card_attempts_status_check" CHECK ("card_attempts"."status" in ('ORDERED','PRODUCED','WASTED','SHIPPED','RECEIVED','DAMAGED','MISSING','ISSUED','LOST_TEMP','LOST_FORMAL','CANCELLED')),
	CONSTRAINT "card_attempts_mode_check" CHECK ("card_attempts"."mode" in ('BATCH','INSTANT')),
	CONSTRAINT "card_attempts_card_kind_check" CHECK ("card_attempts"."card_kind" in ('RESIDENCE_PERMIT','SOCIAL_SECURITY_CARD')),
	CONSTRAINT "card_attempts_attempt_check" CHECK ("card_attempts"."attempt_no" >= 1),
	CONSTRAINT "card_attempts_batch_check" CHECK (("card_attempts"."mode" = 'BATCH') = ("card_attempts"."batch_id" is not null and "card_attempts"."producer_org_id" is not null and "card_attempts"."packing_seq" is not null)),
	CONSTRAINT "card_attempts_produced_check" CHECK ("card_attempts"."status" in ('ORDERED','WASTED') or ("card_attempts"."card_no" is not null and "card_attempts"."card_no" ~ '^[0-9A-Z]{6,32}$')),
	CONSTRAINT "card_attempts_wasted_check" CHECK (("card_attempts"."status" = 'WASTED') = ("card_attempts"."waste_cause" is not null) and ("card_attempts"."waste_cause" is null or ("card_attempts"."waste_cause" in ('AUTHORITY_DATA','PRODUCER') and "card_attempts"."waste_reason" is not null))),
	CONSTRAINT "card_attempts_shipped_check" CHECK ("card_attempts"."status" in ('ORDERED','PRODUCED','WASTED') or "card_attempts"."mode" = 'INSTANT' or "card_attempts"."shipment_id" is not null),
	CONSTRAINT "card_attempts_digest_check" CHECK (("card_attempts"."record_sm3" is null or "card_attempts"."record_sm3" ~ '^[0-9a-f]{64}$') and ("card_attempts"."photo_sm3" is null or "card_attempts"."photo_sm3" ~ '^[0-9a-f]{64}$'))
);
--> statement-breakpoint
CREATE TABLE "card_events" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "card_events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"card_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"programme_id" uuid NOT NULL,
	"type" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"actor_name" text,
	"org_id" uuid,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"idempotency_key" text NOT NULL,
	"txid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	CONSTRAINT "card_events_to_status_check" CHECK ("card_events"."to_status" in ('ORDERED','PRODUCED','WASTED','SHIPPED','RECEIVED','DAMAGED','MISSING','ISSUED','LOST_TEMP','LOST_FORMAL','CANCELLED'))
);
--> statement-breakpoint
CREATE TABLE "batch_records" (
	"card_id" uuid PRIMARY KEY NOT NULL,
	"batch_id" uuid NOT NULL,
	"record_enc" "bytea" NOT NULL,
	"photo_enc" "bytea"
);
--> statement-breakpoint
CREATE TABLE "batch_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" uuid NOT NULL,
	"producer_org_id" uuid NOT NULL,
	"daily_at_minute" integer,
	"when_waiting" integer,
	"enabled" boolean DEFAULT true NOT NULL,
	"last_run_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "batch_rules_trigger_check" CHECK ("batch_rules"."daily_at_minute" is not null or "batch_rules"."when_waiting" is not null),
	CONSTRAINT "batch_rules_minute_check" CHECK ("batch_rules"."daily_at_minute" is null or "batch_rules"."daily_at_minute" between 0 and 1439),
	CONSTRAINT "batch_rules_waiting_check" CHECK ("batch_rules"."when_waiting" is null or "batch_rules"."when_waiting" between 1 and 100000)
);
--> statement-breakpoint
CREATE TABLE "package_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"producer_org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"secret_enc" "bytea",
	"sm2_public_key" text,
	"fingerprint" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "package_keys_kind_check" CHECK ("package_keys"."kind" in ('SM4','SM2')),
	CONSTRAINT "package_keys_material_check" CHECK (case when "package_keys"."kind" = 'SM4' then "package_keys"."secret_enc" is not null and "package_keys"."sm2_public_key" is null else "package_keys"."sm2_public_key" is not null and "package_keys"."secret_enc" is null end),
	CONSTRAINT "package_keys_active_check" CHECK ("package_keys"."active" = ("package_keys"."retired_at" is null))
);
--> statement-breakpoint
CREATE TABLE "package_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"batch_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"max_downloads" integer NOT NULL,
	"downloads" integer DEFAULT 0 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "package_links_downloads_check" CHECK ("package_links"."max_downloads" between 1 and 100 and "package_links"."downloads" between 0 and "package_links"."max_downloads")
);
--> statement-breakpoint
CREATE TABLE "production_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"batch_no" text NOT NULL,
	"programme_id" uuid NOT NULL,
	"producer_org_id" uuid NOT NULL,
	"status" text NOT NULL,
	"card_count" integer NOT NULL,
	"created_by" text NOT NULL,
	"rule_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"data_released_at" timestamp with time zone NOT NULL,
	"first_downloaded_at" timestamp with time zone,
	"production_due_at" timestamp with time zone NOT NULL,
	"delivery_due_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"destroy_after" timestamp with time zone,
	"destroyed_at" timestamp with time zone,
	CONSTRAINT "production_batches_status_check" CHECK ("production_batches"."status" in ('OPEN','COMPLETED','DESTROYED')),
	CONSTRAINT "production_batches_count_check" CHECK ("production_batches"."card_count" >= 1),
	CONSTRAINT "production_batches_completed_check" CHECK (("production_batches"."status" = 'OPEN') = ("production_batches"."completed_at" is null) and ("production_batches"."status" = 'OPEN' or "production_batches"."destroy_after" is not null)),
	CONSTRAINT "production_batches_destroyed_check" CHECK (("production_batches"."status" = 'DESTROYED') = ("production_batches"."destroyed_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "discrepancies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"shipment_id" uuid NOT NULL,
	"card_id" uuid,
	"card_no" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"opened_by" text NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answer" text,
	"answered_by" text,
	"answered_at" timestamp with time zone,
	CONSTRAINT "discrepancies_kind_check" CHECK ("discrepancies"."kind" in ('MISSING','UNEXPECTED','DAMAGED')),
	CONSTRAINT "discrepancies_status_check" CHECK ("discrepancies"."status" in ('OPEN','ANSWERED')),
	CONSTRAINT "discrepancies_answer_check" CHECK (("discrepancies"."status" = 'ANSWERED') = ("discrepancies"."answer" is not null and "discrepancies"."answered_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "receipt_scans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"shipment_id" uuid NOT NULL,
	"card_no" text NOT NULL,
	"result" text NOT NULL,
	"damaged" boolean DEFAULT false NOT NULL,
	"scanned_by" text NOT NULL,
	"scanned_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "receipt_scans_result_check" CHECK ("receipt_scans"."result" in ('MATCHED','UNEXPECTED','DUPLICATE'))
);
--> statement-breakpoint
CREATE TABLE "shipment_items" (
	"shipment_id" uuid NOT NULL,
	"card_id" uuid NOT NULL,
	"card_no" text NOT NULL,
	CONSTRAINT "shipment_items_shipment_id_card_id_pk" PRIMARY KEY("shipment_id","card_id")
);
--> statement-breakpoint
CREATE TABLE "shipments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"shipment_no" text NOT NULL,
	"programme_id" uuid NOT NULL,
	"producer_org_id" uuid NOT NULL,
	"receiver_org_id" uuid NOT NULL,
	"status" text NOT NULL,
	"card_count" integer NOT NULL,
	"carrier" text,
	"tracking_no" text,
	"shipped_at" timestamp with time zone NOT NULL,
	"shipped_by" text NOT NULL,
	"received_at" timestamp with time zone,
	"received_by" text,
	"received_by_name" text,
	CONSTRAINT "shipments_status_check" CHECK ("shipments"."status" in ('SHIPPED','RECEIVED')),
	CONSTRAINT "shipments_count_check" CHECK ("shipments"."card_count" >= 1),
	CONSTRAINT "shipments_received_check" CHECK (("shipments"."status" = 'RECEIVED') = ("shipments"."received_at" is not null and "shipments"."received_by" is not null))
);
--> statement-breakpoint
ALTER TABLE "application_events" DROP CONSTRAINT "application_events_type_check";--> statement-breakpoint
ALTER TABLE "applications" DROP CONSTRAINT "applications_status_check";--> statement-breakpoint
ALTER TABLE "notification_outbox" DROP CONSTRAINT "notification_outbox_kind_check";--> statement-breakpoint
DROP INDEX "applications_open_person_key";--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "bank_account_enc" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "bank_account_masked" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "bank_matched_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "card_attempts" ADD CONSTRAINT "card_attempts_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_attempts" ADD CONSTRAINT "card_attempts_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_attempts" ADD CONSTRAINT "card_attempts_producer_org_id_organisations_id_fk" FOREIGN KEY ("producer_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_attempts" ADD CONSTRAINT "card_attempts_receiver_org_id_organisations_id_fk" FOREIGN KEY ("receiver_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_events" ADD CONSTRAINT "card_events_card_id_card_attempts_id_fk" FOREIGN KEY ("card_id") REFERENCES "public"."card_attempts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_records" ADD CONSTRAINT "batch_records_card_id_card_attempts_id_fk" FOREIGN KEY ("card_id") REFERENCES "public"."card_attempts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_records" ADD CONSTRAINT "batch_records_batch_id_production_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."production_batches"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_rules" ADD CONSTRAINT "batch_rules_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_rules" ADD CONSTRAINT "batch_rules_producer_org_id_organisations_id_fk" FOREIGN KEY ("producer_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_keys" ADD CONSTRAINT "package_keys_producer_org_id_organisations_id_fk" FOREIGN KEY ("producer_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_links" ADD CONSTRAINT "package_links_batch_id_production_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."production_batches"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_batches" ADD CONSTRAINT "production_batches_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_batches" ADD CONSTRAINT "production_batches_producer_org_id_organisations_id_fk" FOREIGN KEY ("producer_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discrepancies" ADD CONSTRAINT "discrepancies_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discrepancies" ADD CONSTRAINT "discrepancies_card_id_card_attempts_id_fk" FOREIGN KEY ("card_id") REFERENCES "public"."card_attempts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipt_scans" ADD CONSTRAINT "receipt_scans_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_items" ADD CONSTRAINT "shipment_items_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_items" ADD CONSTRAINT "shipment_items_card_id_card_attempts_id_fk" FOREIGN KEY ("card_id") REFERENCES "public"."card_attempts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_producer_org_id_organisations_id_fk" FOREIGN KEY ("producer_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_receiver_org_id_organisations_id_fk" FOREIGN KEY ("receiver_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "card_attempts_application_attempt_key" ON "card_attempts" USING btree ("application_id","attempt_no");--> statement-breakpoint
CREATE UNIQUE INDEX "card_attempts_live_key" ON "card_attempts" USING btree ("application_id") WHERE "card_attempts"."status" not in ('WASTED','DAMAGED','MISSING','CANCELLED');--> statement-breakpoint
CREATE UNIQUE INDEX "card_attempts_card_no_key" ON "card_attempts" USING btree ("programme_id","card_no") WHERE "card_attempts"."card_no" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "card_attempts_batch_seq_key" ON "card_attempts" USING btree ("batch_id","packing_seq") WHERE "card_attempts"."batch_id" is not null;--> statement-breakpoint
CREATE INDEX "card_attempts_batch_idx" ON "card_attempts" USING btree ("batch_id","status");--> statement-breakpoint
CREATE INDEX "card_attempts_status_idx" ON "card_attempts" USING btree ("programme_id","status");--> statement-breakpoint
CREATE INDEX "card_attempts_receiver_idx" ON "card_attempts" USING btree ("receiver_org_id","status");--> statement-breakpoint
CREATE INDEX "card_attempts_producer_idx" ON "card_attempts" USING btree ("producer_org_id","status");--> statement-breakpoint
CREATE INDEX "card_attempts_shipment_idx" ON "card_attempts" USING btree ("shipment_id");--> statement-breakpoint
CREATE INDEX "card_attempts_due_idx" ON "card_attempts" USING btree ("production_due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "card_events_idempotency_key" ON "card_events" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "card_events_card_idx" ON "card_events" USING btree ("card_id","seq");--> statement-breakpoint
CREATE INDEX "card_events_programme_at_idx" ON "card_events" USING btree ("programme_id","at");--> statement-breakpoint
CREATE INDEX "card_events_txid_idx" ON "card_events" USING btree ("txid");--> statement-breakpoint
CREATE INDEX "batch_records_batch_idx" ON "batch_records" USING btree ("batch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "batch_rules_programme_producer_key" ON "batch_rules" USING btree ("programme_id","producer_org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "package_keys_active_key" ON "package_keys" USING btree ("producer_org_id") WHERE "package_keys"."active";--> statement-breakpoint
CREATE UNIQUE INDEX "package_links_token_key" ON "package_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "package_links_batch_idx" ON "package_links" USING btree ("batch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "production_batches_no_key" ON "production_batches" USING btree ("batch_no");--> statement-breakpoint
CREATE INDEX "production_batches_producer_idx" ON "production_batches" USING btree ("producer_org_id","status","created_at");--> statement-breakpoint
CREATE INDEX "production_batches_programme_idx" ON "production_batches" USING btree ("programme_id","created_at");--> statement-breakpoint
CREATE INDEX "production_batches_destroy_idx" ON "production_batches" USING btree ("destroy_after") WHERE "production_batches"."status" = 'COMPLETED';--> statement-breakpoint
CREATE UNIQUE INDEX "discrepancies_shipment_card_key" ON "discrepancies" USING btree ("shipment_id","card_no","kind");--> statement-breakpoint
CREATE INDEX "discrepancies_open_idx" ON "discrepancies" USING btree ("status","opened_at");--> statement-breakpoint
CREATE INDEX "receipt_scans_shipment_idx" ON "receipt_scans" USING btree ("shipment_id","scanned_at");--> statement-breakpoint
CREATE UNIQUE INDEX "shipment_items_card_key" ON "shipment_items" USING btree ("card_id");--> statement-breakpoint
CREATE INDEX "shipment_items_card_no_idx" ON "shipment_items" USING btree ("shipment_id","card_no");--> statement-breakpoint
CREATE UNIQUE INDEX "shipments_no_key" ON "shipments" USING btree ("shipment_no");--> statement-breakpoint
CREATE INDEX "shipments_receiver_idx" ON "shipments" USING btree ("receiver_org_id","status");--> statement-breakpoint
CREATE INDEX "shipments_producer_idx" ON "shipments" USING btree ("producer_org_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "applications_open_person_key" ON "applications" USING btree ("programme_id","citizen_id_idx") WHERE "applications"."status" in ('SUBMITTED','APPROVED','MATCHED','IN_PRODUCTION','READY');--> statement-breakpoint
ALTER TABLE "application_events" ADD CONSTRAINT "application_events_type_check" CHECK ("application_events"."type" in ('SUBMITTED','APPROVED','REJECTED','ENDORSED','MATCHED','BANK_REJECTED','IN_PRODUCTION','READY','ISSUED','CANCELLED','RETURNED'));--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_matched_check" CHECK ("applications"."bank_matched_at" is null or ("applications"."card_kind" = 'SOCIAL_SECURITY_CARD' and "applications"."bank_account_enc" like 'v1.%'));--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_status_check" CHECK ("applications"."status" in ('SUBMITTED','APPROVED','REJECTED','ENDORSED','MATCHED','BANK_REJECTED','IN_PRODUCTION','READY','ISSUED','CANCELLED'));--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD CONSTRAINT "notification_outbox_kind_check" CHECK ("notification_outbox"."kind" in ('APPLICATION_REJECTED','BANK_REJECTED','CARD_READY','ENDORSEMENT_DUE'));--> statement-breakpoint
-- Card events are the write-back feed and the settlement evidence: append-only, like the audit trail.
CREATE FUNCTION card_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'card_events is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER card_events_append_only BEFORE UPDATE OR DELETE ON card_events
  FOR EACH ROW EXECUTE FUNCTION card_events_refuse_change();
--> statement-breakpoint
CREATE TRIGGER card_events_no_truncate BEFORE TRUNCATE ON card_events
  FOR EACH STATEMENT EXECUTE FUNCTION card_events_refuse_change();
