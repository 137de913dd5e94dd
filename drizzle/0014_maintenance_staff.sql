CREATE TABLE "maintenance_engineer_certificates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"engineer_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"number" text NOT NULL,
	"issued_on" date NOT NULL,
	"expires_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_engineer_certificates_kind_check" CHECK (char_length("maintenance_engineer_certificates"."kind") between 1 and 40),
	CONSTRAINT "maintenance_engineer_certificates_number_check" CHECK (char_length("maintenance_engineer_certificates"."number") between 1 and 60),
	CONSTRAINT "maintenance_engineer_certificates_expiry_check" CHECK ("maintenance_engineer_certificates"."expires_on" is null or "maintenance_engineer_certificates"."expires_on" >= "maintenance_engineer_certificates"."issued_on")
);--> statement-breakpoint
CREATE TABLE "maintenance_engineers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contract_id" uuid NOT NULL,
	"user_id" uuid,
	"name_enc" text NOT NULL,
	"name_masked" text NOT NULL,
	"name_bidx" text NOT NULL,
	"phone_enc" text,
	"phone_masked" text,
	"phone_bidx" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_engineers_phone_check" CHECK (("maintenance_engineers"."phone_enc" is null) = ("maintenance_engineers"."phone_masked" is null) and ("maintenance_engineers"."phone_enc" is null) = ("maintenance_engineers"."phone_bidx" is null))
);--> statement-breakpoint
CREATE TABLE "maintenance_posts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contract_id" uuid NOT NULL,
	"site_org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"pattern" text NOT NULL,
	"day_start_minute" integer NOT NULL,
	"shift_minutes" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_posts_name_check" CHECK (char_length("maintenance_posts"."name") between 1 and 100),
	CONSTRAINT "maintenance_posts_pattern_check" CHECK ("maintenance_posts"."pattern" in ('5x8','7x8','7x24')),
	CONSTRAINT "maintenance_posts_start_check" CHECK ("maintenance_posts"."day_start_minute" between 0 and 1439),
	CONSTRAINT "maintenance_posts_shift_check" CHECK (("maintenance_posts"."pattern" = '7x24' and "maintenance_posts"."shift_minutes" in (480, 720)) or ("maintenance_posts"."pattern" <> '7x24' and "maintenance_posts"."shift_minutes" = 480))
);--> statement-breakpoint
CREATE TABLE "maintenance_shifts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"post_id" uuid NOT NULL,
	"engineer_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"check_in_at" timestamp with time zone,
	"check_out_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_shifts_time_check" CHECK ("maintenance_shifts"."ends_at" > "maintenance_shifts"."starts_at"),
	CONSTRAINT "maintenance_shifts_checkout_check" CHECK ("maintenance_shifts"."check_out_at" is null or ("maintenance_shifts"."check_in_at" is not null and "maintenance_shifts"."check_out_at" >= "maintenance_shifts"."check_in_at"))
);--> statement-breakpoint
CREATE TABLE "maintenance_staffing" (
	"contract_id" uuid PRIMARY KEY NOT NULL,
	"min_engineers" integer NOT NULL,
	"certified" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_staffing_min_check" CHECK ("maintenance_staffing"."min_engineers" >= 0),
	CONSTRAINT "maintenance_staffing_certified_check" CHECK (jsonb_typeof("maintenance_staffing"."certified") = 'array')
);--> statement-breakpoint
CREATE TABLE "maintenance_termination_alerts" (
	"contract_id" uuid NOT NULL,
	"level" text NOT NULL,
	"breaches" integer NOT NULL,
	"threshold" integer NOT NULL,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_termination_alerts_contract_id_level_pk" PRIMARY KEY("contract_id","level"),
	CONSTRAINT "maintenance_termination_alerts_level_check" CHECK ("maintenance_termination_alerts"."level" in ('APPROACHING','REACHED'))
);--> statement-breakpoint
CREATE TABLE "maintenance_ticket_photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"content_type" text NOT NULL,
	"bytes" integer NOT NULL,
	"photo_enc" "bytea" NOT NULL,
	"photo_sm3" text NOT NULL,
	"uploaded_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_ticket_photos_type_check" CHECK ("maintenance_ticket_photos"."content_type" in ('image/jpeg','image/png')),
	CONSTRAINT "maintenance_ticket_photos_bytes_check" CHECK ("maintenance_ticket_photos"."bytes" >= 1)
);--> statement-breakpoint
ALTER TABLE "maintenance_engineer_certificates" ADD CONSTRAINT "maintenance_engineer_certificates_engineer_fk" FOREIGN KEY ("engineer_id") REFERENCES "public"."maintenance_engineers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_engineers" ADD CONSTRAINT "maintenance_engineers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_engineers" ADD CONSTRAINT "maintenance_engineers_contract_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."maintenance_contracts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_posts" ADD CONSTRAINT "maintenance_posts_site_org_id_organisations_id_fk" FOREIGN KEY ("site_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_posts" ADD CONSTRAINT "maintenance_posts_contract_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."maintenance_contracts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_shifts" ADD CONSTRAINT "maintenance_shifts_post_id_maintenance_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."maintenance_posts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_shifts" ADD CONSTRAINT "maintenance_shifts_engineer_id_maintenance_engineers_id_fk" FOREIGN KEY ("engineer_id") REFERENCES "public"."maintenance_engineers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_staffing" ADD CONSTRAINT "maintenance_staffing_contract_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."maintenance_contracts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_termination_alerts" ADD CONSTRAINT "maintenance_termination_alerts_contract_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."maintenance_contracts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_ticket_photos" ADD CONSTRAINT "maintenance_ticket_photos_ticket_id_maintenance_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."maintenance_tickets"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_ticket_photos" ADD CONSTRAINT "maintenance_ticket_photos_uploaded_by_id_users_id_fk" FOREIGN KEY ("uploaded_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "maintenance_engineer_certificates_number_key" ON "maintenance_engineer_certificates" USING btree ("engineer_id","kind","number");--> statement-breakpoint
CREATE UNIQUE INDEX "maintenance_engineers_contract_user_key" ON "maintenance_engineers" USING btree ("contract_id","user_id") WHERE "maintenance_engineers"."user_id" is not null;--> statement-breakpoint
CREATE INDEX "maintenance_engineers_contract_idx" ON "maintenance_engineers" USING btree ("contract_id","active");--> statement-breakpoint
CREATE INDEX "maintenance_engineers_phone_idx" ON "maintenance_engineers" USING btree ("phone_bidx");--> statement-breakpoint
CREATE UNIQUE INDEX "maintenance_posts_contract_name_key" ON "maintenance_posts" USING btree ("contract_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "maintenance_shifts_post_start_key" ON "maintenance_shifts" USING btree ("post_id","starts_at");--> statement-breakpoint
CREATE INDEX "maintenance_shifts_engineer_idx" ON "maintenance_shifts" USING btree ("engineer_id","starts_at");--> statement-breakpoint
CREATE INDEX "maintenance_ticket_photos_ticket_idx" ON "maintenance_ticket_photos" USING btree ("ticket_id","created_at");
