ALTER TABLE "sms_messages" ADD COLUMN "campaign_id" uuid;--> statement-breakpoint
ALTER TABLE "sms_receipts" ADD COLUMN "phone_idx" text;--> statement-breakpoint
CREATE INDEX "sms_messages_campaign_idx" ON "sms_messages" USING btree ("campaign_id","status") WHERE "sms_messages"."campaign_id" is not null;--> statement-breakpoint
UPDATE "sms_messages" SET "campaign_id" = split_part("idempotency_key", ':', 2)::uuid WHERE "idempotency_key" ~ '^campaign:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:';
