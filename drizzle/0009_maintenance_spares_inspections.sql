CREATE TABLE "maintenance_spare_depots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contract_id" uuid NOT NULL,
	"site_org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_spare_depots_name_check" CHECK (char_length("maintenance_spare_depots"."name") between 1 and 100),
	CONSTRAINT "maintenance_spare_depots_address_check" CHECK (char_length("maintenance_spare_depots"."address") between 1 and 200)
);
--> statement-breakpoint
CREATE TABLE "maintenance_spare_ratios" (
	"contract_id" uuid NOT NULL,
	"type" text NOT NULL,
	"per_mille" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_spare_ratios_contract_id_type_pk" PRIMARY KEY("contract_id","type"),
	CONSTRAINT "maintenance_spare_ratios_type_check" CHECK ("maintenance_spare_ratios"."type" in ('DESKTOP_PC','CARD_PRINTER','FLATBED_PRINTER','PIN_PAD_READER','PHOTO_KIT','FISCAL_DONGLE','CARD_READER','ID_CARD_READER','REWRITABLE_DEVICE','SCANNER','USB_ADAPTER','TRANSPORT_CARD_READER')),
	CONSTRAINT "maintenance_spare_ratios_per_mille_check" CHECK ("maintenance_spare_ratios"."per_mille" between 0 and 1000)
);
--> statement-breakpoint
CREATE TABLE "maintenance_inspection_rounds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contract_id" uuid NOT NULL,
	"site_org_id" uuid NOT NULL,
	"day" date NOT NULL,
	"template_id" uuid,
	"items" jsonb NOT NULL,
	"answers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text NOT NULL,
	"opened_by_id" uuid,
	"signed_by_id" uuid,
	"signed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_inspection_rounds_status_check" CHECK ("maintenance_inspection_rounds"."status" in ('OPEN','SIGNED')),
	CONSTRAINT "maintenance_inspection_rounds_items_check" CHECK (jsonb_typeof("maintenance_inspection_rounds"."items") = 'array' and jsonb_array_length("maintenance_inspection_rounds"."items") >= 1),
	CONSTRAINT "maintenance_inspection_rounds_answers_check" CHECK (jsonb_typeof("maintenance_inspection_rounds"."answers") = 'array'),
	CONSTRAINT "maintenance_inspection_rounds_signed_check" CHECK (("maintenance_inspection_rounds"."status" = 'SIGNED') = ("maintenance_inspection_rounds"."signed_by_id" is not null and "maintenance_inspection_rounds"."signed_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "maintenance_inspection_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contract_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"name" text NOT NULL,
	"items" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_inspection_templates_version_check" CHECK ("maintenance_inspection_templates"."version" >= 1),
	CONSTRAINT "maintenance_inspection_templates_name_check" CHECK (char_length("maintenance_inspection_templates"."name") between 1 and 100),
	CONSTRAINT "maintenance_inspection_templates_items_check" CHECK (jsonb_typeof("maintenance_inspection_templates"."items") = 'array' and jsonb_array_length("maintenance_inspection_templates"."items") >= 1)
);
--> statement-breakpoint
ALTER TABLE "maintenance_assets" ADD COLUMN "depot_id" uuid;--> statement-breakpoint
ALTER TABLE "maintenance_spare_depots" ADD CONSTRAINT "maintenance_spare_depots_site_org_id_organisations_id_fk" FOREIGN KEY ("site_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_spare_depots" ADD CONSTRAINT "maintenance_spare_depots_contract_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."maintenance_contracts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_spare_ratios" ADD CONSTRAINT "maintenance_spare_ratios_contract_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."maintenance_contracts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_inspection_rounds" ADD CONSTRAINT "maintenance_inspection_rounds_site_org_id_organisations_id_fk" FOREIGN KEY ("site_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_inspection_rounds" ADD CONSTRAINT "maintenance_inspection_rounds_opened_by_id_users_id_fk" FOREIGN KEY ("opened_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_inspection_rounds" ADD CONSTRAINT "maintenance_inspection_rounds_signed_by_id_users_id_fk" FOREIGN KEY ("signed_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_inspection_rounds" ADD CONSTRAINT "maintenance_inspection_rounds_contract_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."maintenance_contracts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_inspection_rounds" ADD CONSTRAINT "maintenance_inspection_rounds_template_fk" FOREIGN KEY ("template_id") REFERENCES "public"."maintenance_inspection_templates"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_inspection_templates" ADD CONSTRAINT "maintenance_inspection_templates_contract_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."maintenance_contracts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "maintenance_spare_depots_contract_name_key" ON "maintenance_spare_depots" USING btree ("contract_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "maintenance_inspection_rounds_site_day_key" ON "maintenance_inspection_rounds" USING btree ("site_org_id","day");--> statement-breakpoint
CREATE INDEX "maintenance_inspection_rounds_contract_day_idx" ON "maintenance_inspection_rounds" USING btree ("contract_id","day");--> statement-breakpoint
CREATE UNIQUE INDEX "maintenance_inspection_templates_contract_version_key" ON "maintenance_inspection_templates" USING btree ("contract_id","version");--> statement-breakpoint
ALTER TABLE "maintenance_assets" ADD CONSTRAINT "maintenance_assets_depot_id_maintenance_spare_depots_id_fk" FOREIGN KEY ("depot_id") REFERENCES "public"."maintenance_spare_depots"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "maintenance_assets_depot_idx" ON "maintenance_assets" USING btree ("depot_id","type","status");