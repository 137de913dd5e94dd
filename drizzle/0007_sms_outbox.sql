CREATE TABLE "sms_blocklist" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"phone_idx" text NOT NULL,
	"phone_masked" text NOT NULL,
	"signature" text NOT NULL,
	"source" text NOT NULL,
	"inbound_id" uuid,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_blocklist_source_check" CHECK ("sms_blocklist"."source" in ('REPLY','MANUAL')),
	CONSTRAINT "sms_blocklist_signature_check" CHECK (char_length("sms_blocklist"."signature") between 2 and 16),
	CONSTRAINT "sms_blocklist_reply_check" CHECK ("sms_blocklist"."source" <> 'REPLY' or "sms_blocklist"."inbound_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "sms_inbound" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider" text NOT NULL,
	"phone_enc" text NOT NULL,
	"phone_idx" text NOT NULL,
	"phone_masked" text NOT NULL,
	"text" text NOT NULL,
	"reply_to_message_id" uuid,
	"opt_out" boolean NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_inbound_phone_check" CHECK ("sms_inbound"."phone_enc" like 'v1.%')
);
--> statement-breakpoint
CREATE TABLE "sms_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"phone_enc" text NOT NULL,
	"phone_idx" text NOT NULL,
	"phone_masked" text NOT NULL,
	"text" text NOT NULL,
	"signature" text NOT NULL,
	"template_id" uuid,
	"sender_org_id" uuid NOT NULL,
	"category" text NOT NULL,
	"segments" integer NOT NULL,
	"cost_milli_fen" integer NOT NULL,
	"idempotency_key" text NOT NULL,
	"status" text NOT NULL,
	"provider" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"quiet_hours_exempt" boolean NOT NULL,
	"failure_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_messages_phone_check" CHECK ("sms_messages"."phone_enc" like 'v1.%'),
	CONSTRAINT "sms_messages_category_check" CHECK ("sms_messages"."category" in ('NOTIFICATION','MARKETING')),
	CONSTRAINT "sms_messages_status_check" CHECK ("sms_messages"."status" in ('QUEUED','SUBMITTED','DELIVERED','FAILED','EXPIRED','HELD','BLOCKED')),
	CONSTRAINT "sms_messages_segments_check" CHECK ("sms_messages"."segments" between 1 and 255),
	CONSTRAINT "sms_messages_cost_check" CHECK ("sms_messages"."cost_milli_fen" >= 0),
	CONSTRAINT "sms_messages_attempts_check" CHECK ("sms_messages"."attempts" >= 0),
	CONSTRAINT "sms_messages_key_check" CHECK (char_length("sms_messages"."idempotency_key") between 1 and 200),
	CONSTRAINT "sms_messages_signature_check" CHECK (char_length("sms_messages"."signature") between 2 and 16),
	CONSTRAINT "sms_messages_submitted_check" CHECK ("sms_messages"."status" not in ('SUBMITTED','DELIVERED') or ("sms_messages"."submitted_at" is not null and "sms_messages"."provider" is not null)),
	CONSTRAINT "sms_messages_delivered_check" CHECK (("sms_messages"."status" = 'DELIVERED') = ("sms_messages"."delivered_at" is not null)),
	CONSTRAINT "sms_messages_finished_check" CHECK (("sms_messages"."status" in ('DELIVERED','FAILED','EXPIRED','BLOCKED')) = ("sms_messages"."finished_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "sms_receipts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider" text NOT NULL,
	"smsc_message_id" text NOT NULL,
	"status" text NOT NULL,
	"stat" text NOT NULL,
	"error_code" text,
	"done_at" timestamp with time zone,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_receipts_status_check" CHECK ("sms_receipts"."status" in ('DELIVERED','FAILED','EXPIRED'))
);
--> statement-breakpoint
CREATE TABLE "sms_submit_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"message_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" text,
	"smsc_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"gateway_attempt" text,
	"error_code" text,
	"finished_at" timestamp with time zone,
	CONSTRAINT "sms_submit_attempts_outcome_check" CHECK ("sms_submit_attempts"."outcome" in ('ACCEPTED','NOT_SENT','REFUSED','UNKNOWN','ABANDONED')),
	CONSTRAINT "sms_submit_attempts_finished_check" CHECK (("sms_submit_attempts"."outcome" is null) = ("sms_submit_attempts"."finished_at" is null)),
	CONSTRAINT "sms_submit_attempts_ids_check" CHECK ("sms_submit_attempts"."outcome" is not null or cardinality("sms_submit_attempts"."smsc_ids") = 0)
);
--> statement-breakpoint
ALTER TABLE "sms_blocklist" ADD CONSTRAINT "sms_blocklist_inbound_id_sms_inbound_id_fk" FOREIGN KEY ("inbound_id") REFERENCES "public"."sms_inbound"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_inbound" ADD CONSTRAINT "sms_inbound_reply_to_message_id_sms_messages_id_fk" FOREIGN KEY ("reply_to_message_id") REFERENCES "public"."sms_messages"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD CONSTRAINT "sms_messages_sender_org_id_organisations_id_fk" FOREIGN KEY ("sender_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_submit_attempts" ADD CONSTRAINT "sms_submit_attempts_message_id_sms_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."sms_messages"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sms_blocklist_phone_signature_key" ON "sms_blocklist" USING btree ("phone_idx","signature");--> statement-breakpoint
CREATE INDEX "sms_inbound_phone_idx" ON "sms_inbound" USING btree ("phone_idx");--> statement-breakpoint
CREATE INDEX "sms_inbound_received_idx" ON "sms_inbound" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sms_messages_idempotency_key" ON "sms_messages" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "sms_messages_queue_idx" ON "sms_messages" USING btree ("next_attempt_at") WHERE "sms_messages"."status" = 'QUEUED';--> statement-breakpoint
CREATE INDEX "sms_messages_phone_idx" ON "sms_messages" USING btree ("phone_idx");--> statement-breakpoint
CREATE INDEX "sms_messages_created_idx" ON "sms_messages" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "sms_receipts_smsc_idx" ON "sms_receipts" USING btree ("provider","smsc_message_id");--> statement-breakpoint
CREATE INDEX "sms_receipts_received_idx" ON "sms_receipts" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "sms_submit_attempts_message_idx" ON "sms_submit_attempts" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "sms_submit_attempts_smsc_ids_idx" ON "sms_submit_attempts" USING gin ("smsc_ids");--> statement-breakpoint
CREATE INDEX "sms_submit_attempts_open_idx" ON "sms_submit_attempts" USING btree ("started_at") WHERE "sms_submit_attempts"."outcome" is null or "sms_submit_attempts"."outcome" = 'UNKNOWN';--> statement-breakpoint
CREATE FUNCTION sms_receipts_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER sms_receipts_append_only BEFORE UPDATE OR DELETE ON sms_receipts
  FOR EACH ROW EXECUTE FUNCTION sms_receipts_refuse_change();
--> statement-breakpoint
CREATE TRIGGER sms_inbound_append_only BEFORE UPDATE OR DELETE ON sms_inbound
  FOR EACH ROW EXECUTE FUNCTION sms_receipts_refuse_change();
--> statement-breakpoint
-- An attempt is written before the wire and settled once; a settled outcome is evidence and never changes,
-- except UNKNOWN, which a late answer or the reconcile window settles.
CREATE FUNCTION sms_submit_attempts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'sms_submit_attempts is append-only' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (OLD.outcome IS NOT NULL AND OLD.outcome <> 'UNKNOWN')
     OR NEW.message_id <> OLD.message_id OR NEW.provider <> OLD.provider OR NEW.started_at <> OLD.started_at THEN
    RAISE EXCEPTION 'sms_submit_attempts: a settled attempt cannot change' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER sms_submit_attempts_settle_once BEFORE UPDATE OR DELETE ON sms_submit_attempts
  FOR EACH ROW EXECUTE FUNCTION sms_submit_attempts_guard();
