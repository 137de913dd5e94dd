CREATE TABLE "sms_word_lists" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version" integer NOT NULL,
	"note" text,
	"active" boolean DEFAULT false NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_word_lists_version_check" CHECK ("sms_word_lists"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "sms_words" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"list_id" uuid NOT NULL,
	"word" text NOT NULL,
	"normalised" text NOT NULL,
	CONSTRAINT "sms_words_word_check" CHECK (char_length("sms_words"."word") between 1 and 50)
);
--> statement-breakpoint
ALTER TABLE "sms_messages" ADD COLUMN "held_words" jsonb;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD COLUMN "held_list_version" integer;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD COLUMN "decided_by" text;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sms_words" ADD CONSTRAINT "sms_words_list_id_sms_word_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."sms_word_lists"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sms_word_lists_version_key" ON "sms_word_lists" USING btree ("version");--> statement-breakpoint
CREATE UNIQUE INDEX "sms_word_lists_active_key" ON "sms_word_lists" USING btree ("active") WHERE "sms_word_lists"."active";--> statement-breakpoint
CREATE UNIQUE INDEX "sms_words_list_normalised_key" ON "sms_words" USING btree ("list_id","normalised");--> statement-breakpoint
CREATE INDEX "sms_words_list_idx" ON "sms_words" USING btree ("list_id");--> statement-breakpoint
CREATE INDEX "sms_messages_held_idx" ON "sms_messages" USING btree ("created_at") WHERE "sms_messages"."status" = 'HELD';--> statement-breakpoint
ALTER TABLE "sms_messages" ADD CONSTRAINT "sms_messages_held_check" CHECK ("sms_messages"."status" <> 'HELD' or ("sms_messages"."held_list_version" is not null and jsonb_array_length("sms_messages"."held_words") > 0));
