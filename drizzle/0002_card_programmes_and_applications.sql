CREATE SEQUENCE "public"."application_no_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "programme_producers" (
	"programme_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	CONSTRAINT "programme_producers_programme_id_org_id_pk" PRIMARY KEY("programme_id","org_id")
);
--> statement-breakpoint
CREATE TABLE "programme_receivers" (
	"programme_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"org_kind" text NOT NULL,
	CONSTRAINT "programme_receivers_programme_id_org_id_pk" PRIMARY KEY("programme_id","org_id"),
	CONSTRAINT "programme_receivers_kind_check" CHECK ("programme_receivers"."org_kind" in ('OUTLET','BANK'))
);
--> statement-breakpoint
CREATE TABLE "programmes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"authority_org_id" uuid NOT NULL,
	"production_deadline_amount" integer NOT NULL,
	"production_deadline_unit" text NOT NULL,
	"delivery_deadline_amount" integer,
	"delivery_deadline_unit" text,
	"production_region_prefix" text NOT NULL,
	"batch_size_limit" integer NOT NULL,
	"personalisation_retention_hours" integer DEFAULT 24 NOT NULL,
	"packing_order" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programmes_kind_check" CHECK ("programmes"."kind" in ('RESIDENCE_PERMIT','SOCIAL_SECURITY_CARD')),
	CONSTRAINT "programmes_name_check" CHECK (char_length("programmes"."name") between 1 and 100),
	CONSTRAINT "programmes_production_deadline_check" CHECK ("programmes"."production_deadline_amount" between 1 and 365 and "programmes"."production_deadline_unit" in ('CALENDAR_DAYS','WORKING_DAYS')),
	CONSTRAINT "programmes_delivery_deadline_check" CHECK (("programmes"."delivery_deadline_amount" is null) = ("programmes"."delivery_deadline_unit" is null) and ("programmes"."delivery_deadline_amount" is null or ("programmes"."delivery_deadline_amount" between 1 and 365 and "programmes"."delivery_deadline_unit" in ('CALENDAR_DAYS','WORKING_DAYS')))),
	CONSTRAINT "programmes_region_prefix_check" CHECK ("programmes"."production_region_prefix" ~ '^[0-9]{2,6}$'),
	CONSTRAINT "programmes_batch_size_check" CHECK ("programmes"."batch_size_limit" between 1 and 100000),
	CONSTRAINT "programmes_retention_check" CHECK ("programmes"."personalisation_retention_hours" between 1 and 720),
	CONSTRAINT "programmes_packing_order_check" CHECK ("programmes"."packing_order" in ('BY_UNIT','BY_SSN'))
);
--> statement-breakpoint
CREATE TABLE "application_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"type" text NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"actor_name" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"idempotency_key" text NOT NULL,
	CONSTRAINT "application_events_type_check" CHECK ("application_events"."type" in ('SUBMITTED','APPROVED','REJECTED','ENDORSED'))
);
--> statement-breakpoint
CREATE TABLE "application_photos" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"photo_enc" "bytea" NOT NULL,
	"sm3" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"bytes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "application_photos_sm3_check" CHECK ("application_photos"."sm3" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "application_photos_size_check" CHECK ("application_photos"."width" > 0 and "application_photos"."height" > 0 and "application_photos"."bytes" > 0)
);
--> statement-breakpoint
CREATE TABLE "applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_no" text NOT NULL,
	"programme_id" uuid NOT NULL,
	"card_kind" text NOT NULL,
	"outlet_org_id" uuid NOT NULL,
	"bank_org_id" uuid,
	"kind" text NOT NULL,
	"basis" text,
	"status" text NOT NULL,
	"name_enc" text NOT NULL,
	"name_masked" text NOT NULL,
	"citizen_id_enc" text NOT NULL,
	"citizen_id_idx" text NOT NULL,
	"citizen_id_masked" text NOT NULL,
	"phone_enc" text NOT NULL,
	"phone_idx" text NOT NULL,
	"phone_masked" text NOT NULL,
	"hukou_address_enc" text,
	"residence_address_enc" text,
	"sex" text NOT NULL,
	"ethnicity" text NOT NULL,
	"birth_date" date NOT NULL,
	"has_photo" boolean DEFAULT false NOT NULL,
	"source" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "applications_no_check" CHECK ("applications"."application_no" ~ '^(RP|SC)-[0-9]{8}-[0-9]{6,}$'),
	CONSTRAINT "applications_card_kind_check" CHECK ("applications"."card_kind" in ('RESIDENCE_PERMIT','SOCIAL_SECURITY_CARD')),
	CONSTRAINT "applications_kind_check" CHECK ("applications"."kind" in ('NEW','REPLACEMENT','RENEWAL','ENDORSEMENT','PREFABRICATED')),
	CONSTRAINT "applications_kind_per_card_check" CHECK ("applications"."kind" <> 'PREFABRICATED' or "applications"."card_kind" = 'SOCIAL_SECURITY_CARD'),
	CONSTRAINT "applications_endorsement_check" CHECK ("applications"."kind" <> 'ENDORSEMENT' or "applications"."card_kind" = 'RESIDENCE_PERMIT'),
	CONSTRAINT "applications_basis_check" CHECK (case when "applications"."card_kind" = 'RESIDENCE_PERMIT' then "applications"."basis" in ('EMPLOYMENT','RESIDENCE','STUDY') else "applications"."basis" is null end),
	CONSTRAINT "applications_bank_check" CHECK (("applications"."card_kind" = 'SOCIAL_SECURITY_CARD') = ("applications"."bank_org_id" is not null)),
	CONSTRAINT "applications_status_check" CHECK ("applications"."status" in ('SUBMITTED','APPROVED','REJECTED','ENDORSED')),
	CONSTRAINT "applications_endorsed_check" CHECK (("applications"."status" = 'ENDORSED') = ("applications"."kind" = 'ENDORSEMENT')),
	CONSTRAINT "applications_decided_check" CHECK (("applications"."status" = 'SUBMITTED') = ("applications"."decided_at" is null)),
	CONSTRAINT "applications_sex_check" CHECK ("applications"."sex" in ('M','F')),
	CONSTRAINT "applications_ethnicity_check" CHECK ("applications"."ethnicity" ~ '^(0[1-9]|[1-4][0-9]|5[0-6]|97|98)$'),
	CONSTRAINT "applications_source_check" CHECK ("applications"."source" in ('COUNTER','IMPORT')),
	CONSTRAINT "applications_tokens_check" CHECK ("applications"."name_enc" like 'v1.%' and "applications"."citizen_id_enc" like 'v1.%' and "applications"."phone_enc" like 'v1.%')
);
--> statement-breakpoint
CREATE TABLE "import_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" uuid NOT NULL,
	"outlet_org_id" uuid NOT NULL,
	"created_by" text NOT NULL,
	"error_count" integer NOT NULL,
	"csv" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_reports_count_check" CHECK ("import_reports"."error_count" >= 1)
);
--> statement-breakpoint
CREATE TABLE "notification_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"application_id" uuid,
	"recipient_phone_enc" text NOT NULL,
	"payload" jsonb NOT NULL,
	"idempotency_key" text NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_outbox_kind_check" CHECK ("notification_outbox"."kind" in ('APPLICATION_REJECTED')),
	CONSTRAINT "notification_outbox_status_check" CHECK ("notification_outbox"."status" in ('PENDING','SENT','FAILED')),
	CONSTRAINT "notification_outbox_phone_check" CHECK ("notification_outbox"."recipient_phone_enc" like 'v1.%')
);
--> statement-breakpoint
CREATE TABLE "rejection_reasons" (
	"code" text PRIMARY KEY NOT NULL,
	"zh" text NOT NULL,
	"en" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rejection_reasons_code_check" CHECK ("rejection_reasons"."code" ~ '^[A-Z][A-Z0-9_]{1,39}$'),
	CONSTRAINT "rejection_reasons_text_check" CHECK (char_length("rejection_reasons"."zh") between 1 and 200 and char_length("rejection_reasons"."en") between 1 and 200)
);
--> statement-breakpoint
ALTER TABLE "programme_producers" ADD CONSTRAINT "programme_producers_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_producers" ADD CONSTRAINT "programme_producers_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_receivers" ADD CONSTRAINT "programme_receivers_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_receivers" ADD CONSTRAINT "programme_receivers_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programmes" ADD CONSTRAINT "programmes_authority_org_id_organisations_id_fk" FOREIGN KEY ("authority_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_events" ADD CONSTRAINT "application_events_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_photos" ADD CONSTRAINT "application_photos_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_outlet_org_id_organisations_id_fk" FOREIGN KEY ("outlet_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_bank_org_id_organisations_id_fk" FOREIGN KEY ("bank_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_reports" ADD CONSTRAINT "import_reports_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_reports" ADD CONSTRAINT "import_reports_outlet_org_id_organisations_id_fk" FOREIGN KEY ("outlet_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD CONSTRAINT "notification_outbox_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "programme_producers_org_idx" ON "programme_producers" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "programme_receivers_org_idx" ON "programme_receivers" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "programmes_authority_idx" ON "programmes" USING btree ("authority_org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "application_events_idempotency_key" ON "application_events" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "application_events_application_idx" ON "application_events" USING btree ("application_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "applications_no_key" ON "applications" USING btree ("application_no");--> statement-breakpoint
CREATE UNIQUE INDEX "applications_open_person_key" ON "applications" USING btree ("programme_id","citizen_id_idx") WHERE "applications"."status" in ('SUBMITTED','APPROVED');--> statement-breakpoint
CREATE INDEX "applications_programme_status_idx" ON "applications" USING btree ("programme_id","status","created_at");--> statement-breakpoint
CREATE INDEX "applications_outlet_status_idx" ON "applications" USING btree ("outlet_org_id","status","created_at");--> statement-breakpoint
CREATE INDEX "applications_citizen_idx" ON "applications" USING btree ("citizen_id_idx");--> statement-breakpoint
CREATE INDEX "applications_phone_idx" ON "applications" USING btree ("phone_idx");--> statement-breakpoint
CREATE INDEX "import_reports_outlet_idx" ON "import_reports" USING btree ("outlet_org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "notification_outbox_idempotency_key" ON "notification_outbox" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "notification_outbox_pending_idx" ON "notification_outbox" USING btree ("created_at") WHERE "notification_outbox"."status" = 'PENDING';--> statement-breakpoint
-- Application events are append-only, like the audit trail: the history reviewers and SLA clocks read is never rewritten.
CREATE FUNCTION application_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'application_events is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER application_events_append_only BEFORE UPDATE OR DELETE ON application_events
  FOR EACH ROW EXECUTE FUNCTION application_events_refuse_change();
--> statement-breakpoint
CREATE TRIGGER application_events_no_truncate BEFORE TRUNCATE ON application_events
  FOR EACH STATEMENT EXECUTE FUNCTION application_events_refuse_change();
--> statement-breakpoint
-- The starting catalogue of rejection reasons (一次性告知); administrators add and retire reasons in the console.
INSERT INTO "rejection_reasons" ("code", "zh", "en") VALUES
  ('PHOTO_UNSUITABLE', '照片不合格（须为近期白底正面免冠照片）', 'The photo is unsuitable (a recent frontal photo on a white background is required)'),
  ('RESIDENCE_PROOF_INCOMPLETE', '居住证明材料不全（租赁合同、房产证明或单位宿舍证明）', 'Proof of residence is incomplete (lease, deed or dormitory letter)'),
  ('EMPLOYMENT_PROOF_INCOMPLETE', '就业证明不全（营业执照、劳动合同或单位证明）', 'Proof of employment is incomplete (business licence, labour contract or employer letter)'),
  ('STUDY_PROOF_INCOMPLETE', '就读证明不全', 'Proof of study is incomplete'),
  ('RESIDENCE_PERIOD_SHORT', '居住登记未满六个月', 'Registered residence is shorter than six months'),
  ('INFO_MISMATCH', '信息与证件不符', 'The information does not match the identity document'),
  ('ID_DOCUMENT_INVALID', '身份证件无效或已过期', 'The identity document is invalid or expired'),
  ('GUARDIAN_DOCUMENTS_MISSING', '代办人或监护人证件不全', 'The documents of the guardian or agent are incomplete'),
  ('BANK_ACCOUNT_MISMATCH', '银行账户信息核对不符', 'The bank account details do not match'),
  ('OTHER', '其他原因（见备注）', 'Other reason (see the note)');
