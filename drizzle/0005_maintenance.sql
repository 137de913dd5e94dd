CREATE SEQUENCE "public"."maintenance_ticket_no_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "maintenance_asset_changes" (
	"asset_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"kind" text NOT NULL,
	"changes" jsonb NOT NULL,
	"actor_id" text,
	"actor_name" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_asset_changes_asset_id_seq_pk" PRIMARY KEY("asset_id","seq"),
	CONSTRAINT "maintenance_asset_changes_kind_check" CHECK ("maintenance_asset_changes"."kind" in ('CREATE','IMPORT','UPDATE')),
	CONSTRAINT "maintenance_asset_changes_seq_check" CHECK ("maintenance_asset_changes"."seq" >= 1 and ("maintenance_asset_changes"."seq" = 1) = ("maintenance_asset_changes"."kind" <> 'UPDATE'))
);
--> statement-breakpoint
CREATE TABLE "maintenance_assets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_org_id" uuid NOT NULL,
	"type" text NOT NULL,
	"serial" text NOT NULL,
	"model" text NOT NULL,
	"status" text NOT NULL,
	"sam_card_no" text,
	"purchase_date" date,
	"warranty_until" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_assets_type_check" CHECK ("maintenance_assets"."type" in ('DESKTOP_PC','CARD_PRINTER','FLATBED_PRINTER','PIN_PAD_READER','PHOTO_KIT','FISCAL_DONGLE','CARD_READER','ID_CARD_READER','REWRITABLE_DEVICE','SCANNER','USB_ADAPTER','TRANSPORT_CARD_READER')),
	CONSTRAINT "maintenance_assets_status_check" CHECK ("maintenance_assets"."status" in ('IN_SERVICE','FAULTY','IN_REPAIR','SPARE','RETIRED')),
	CONSTRAINT "maintenance_assets_sam_check" CHECK ("maintenance_assets"."sam_card_no" is null or "maintenance_assets"."type" in ('CARD_PRINTER','PIN_PAD_READER','CARD_READER','REWRITABLE_DEVICE')),
	CONSTRAINT "maintenance_assets_warranty_check" CHECK ("maintenance_assets"."warranty_until" is null or "maintenance_assets"."purchase_date" is null or "maintenance_assets"."warranty_until" >= "maintenance_assets"."purchase_date"),
	CONSTRAINT "maintenance_assets_model_check" CHECK (char_length("maintenance_assets"."model") between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE "maintenance_breaches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contract_id" uuid NOT NULL,
	"ticket_id" uuid,
	"kind" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"allowed_minutes" integer NOT NULL,
	"used_minutes" real NOT NULL,
	"evidence" jsonb NOT NULL,
	CONSTRAINT "maintenance_breaches_kind_check" CHECK ("maintenance_breaches"."kind" in ('LATE_RESPONSE','LATE_FIX','MISSED_VISIT','LATE_REPORT')),
	CONSTRAINT "maintenance_breaches_ticket_check" CHECK (("maintenance_breaches"."kind" in ('LATE_RESPONSE','LATE_FIX')) = ("maintenance_breaches"."ticket_id" is not null)),
	CONSTRAINT "maintenance_breaches_minutes_check" CHECK ("maintenance_breaches"."used_minutes" > "maintenance_breaches"."allowed_minutes")
);
--> statement-breakpoint
CREATE TABLE "maintenance_contracts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"authority_org_id" uuid NOT NULL,
	"maintainer_org_id" uuid NOT NULL,
	"term_start" date NOT NULL,
	"term_end" date NOT NULL,
	"zone_table_id" uuid,
	"clock" text NOT NULL,
	"response_target" text NOT NULL,
	"response_minutes_urban" integer NOT NULL,
	"response_minutes_suburban" integer NOT NULL,
	"fix_minutes_urban" integer,
	"fix_minutes_suburban" integer,
	"warn_percent" integer DEFAULT 75 NOT NULL,
	"breach_termination_count" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_contracts_name_check" CHECK (char_length("maintenance_contracts"."name") between 1 and 100),
	CONSTRAINT "maintenance_contracts_term_check" CHECK ("maintenance_contracts"."term_end" >= "maintenance_contracts"."term_start"),
	CONSTRAINT "maintenance_contracts_clock_check" CHECK ("maintenance_contracts"."clock" in ('WORKING','ROUND_THE_CLOCK')),
	CONSTRAINT "maintenance_contracts_target_check" CHECK ("maintenance_contracts"."response_target" in ('ACKNOWLEDGED','ON_SITE')),
	CONSTRAINT "maintenance_contracts_response_check" CHECK ("maintenance_contracts"."response_minutes_urban" >= 1 and "maintenance_contracts"."response_minutes_suburban" >= 1),
	CONSTRAINT "maintenance_contracts_fix_check" CHECK (("maintenance_contracts"."fix_minutes_urban" is null) = ("maintenance_contracts"."fix_minutes_suburban" is null) and ("maintenance_contracts"."fix_minutes_urban" is null or ("maintenance_contracts"."fix_minutes_urban" >= "maintenance_contracts"."response_minutes_urban" and "maintenance_contracts"."fix_minutes_suburban" >= "maintenance_contracts"."response_minutes_suburban"))),
	CONSTRAINT "maintenance_contracts_warn_check" CHECK ("maintenance_contracts"."warn_percent" between 1 and 99),
	CONSTRAINT "maintenance_contracts_termination_check" CHECK ("maintenance_contracts"."breach_termination_count" is null or "maintenance_contracts"."breach_termination_count" >= 1)
);
--> statement-breakpoint
CREATE TABLE "maintenance_site_software" (
	"site_org_id" uuid NOT NULL,
	"item" text NOT NULL,
	"version" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_site_software_site_org_id_item_pk" PRIMARY KEY("site_org_id","item"),
	CONSTRAINT "maintenance_site_software_item_check" CHECK ("maintenance_site_software"."item" in ('RP_APPLICATION','OPERATING_SYSTEM','RARE_CHARACTERS','PHOTO_CAPTURE','ID_READER_DRIVER','CARD_PRINTER_DRIVER','DASCOM_PRINTER_DRIVER','BROWSER','IMAGE_CAPTURE','CARD_READER_DRIVER','CAMERA_DRIVER','FISCAL_SUITE','REWRITABLE_DRIVER','USB_ADAPTER_DRIVERS')),
	CONSTRAINT "maintenance_site_software_version_check" CHECK (char_length("maintenance_site_software"."version") between 1 and 50)
);
--> statement-breakpoint
CREATE TABLE "maintenance_sites" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"contract_id" uuid NOT NULL,
	"services" text[] NOT NULL,
	"opening_hours" text NOT NULL,
	"zone_override" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_sites_services_check" CHECK ("maintenance_sites"."services" <@ array['SOCIAL_SECURITY_CARD','RESIDENCE_PERMIT']::text[]),
	CONSTRAINT "maintenance_sites_hours_check" CHECK ("maintenance_sites"."opening_hours" ~ '^[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}(,[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2})*$'),
	CONSTRAINT "maintenance_sites_zone_check" CHECK ("maintenance_sites"."zone_override" is null or "maintenance_sites"."zone_override" in ('URBAN','SUBURBAN'))
);
--> statement-breakpoint
CREATE TABLE "maintenance_software_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_org_id" uuid NOT NULL,
	"item" text NOT NULL,
	"from_version" text,
	"to_version" text NOT NULL,
	"actor_id" text,
	"actor_name" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_software_changes_changed_check" CHECK ("maintenance_software_changes"."from_version" is distinct from "maintenance_software_changes"."to_version")
);
--> statement-breakpoint
CREATE TABLE "maintenance_ticket_events" (
	"ticket_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"waiting_reason" text,
	"note" text,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"actor_name" text NOT NULL,
	"idempotency_key" text NOT NULL,
	CONSTRAINT "maintenance_ticket_events_ticket_id_seq_pk" PRIMARY KEY("ticket_id","seq"),
	CONSTRAINT "maintenance_ticket_events_action_check" CHECK ("maintenance_ticket_events"."action" in ('OPEN','ACKNOWLEDGE','ARRIVE','WAIT','RESUME','RESOLVE','CLOSE','REOPEN')),
	CONSTRAINT "maintenance_ticket_events_open_check" CHECK (("maintenance_ticket_events"."seq" = 1) = ("maintenance_ticket_events"."action" = 'OPEN') and ("maintenance_ticket_events"."action" = 'OPEN') = ("maintenance_ticket_events"."from_status" is null)),
	CONSTRAINT "maintenance_ticket_events_wait_check" CHECK (("maintenance_ticket_events"."action" = 'WAIT') = ("maintenance_ticket_events"."waiting_reason" is not null) and ("maintenance_ticket_events"."waiting_reason" is null or "maintenance_ticket_events"."waiting_reason" in ('PARTS','CUSTOMER'))),
	CONSTRAINT "maintenance_ticket_events_note_check" CHECK ("maintenance_ticket_events"."note" is null or char_length("maintenance_ticket_events"."note") <= 500),
	CONSTRAINT "maintenance_ticket_events_key_check" CHECK (char_length("maintenance_ticket_events"."idempotency_key") between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE "maintenance_tickets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_no" text NOT NULL,
	"contract_id" uuid NOT NULL,
	"site_org_id" uuid NOT NULL,
	"asset_id" uuid,
	"category" text NOT NULL,
	"description" text NOT NULL,
	"channel" text NOT NULL,
	"zone" text NOT NULL,
	"clock" text NOT NULL,
	"response_target" text NOT NULL,
	"response_minutes" integer NOT NULL,
	"fix_minutes" integer,
	"warn_percent" integer NOT NULL,
	"opening_hours" text NOT NULL,
	"status" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"last_event_at" timestamp with time zone NOT NULL,
	"last_seq" integer NOT NULL,
	CONSTRAINT "maintenance_tickets_status_check" CHECK ("maintenance_tickets"."status" in ('NEW','ACKNOWLEDGED','ON_SITE','WAITING','RESOLVED','CLOSED')),
	CONSTRAINT "maintenance_tickets_channel_check" CHECK ("maintenance_tickets"."channel" in ('CONSOLE','HOTLINE','API')),
	CONSTRAINT "maintenance_tickets_zone_check" CHECK ("maintenance_tickets"."zone" in ('URBAN','SUBURBAN')),
	CONSTRAINT "maintenance_tickets_clock_check" CHECK ("maintenance_tickets"."clock" in ('WORKING','ROUND_THE_CLOCK')),
	CONSTRAINT "maintenance_tickets_target_check" CHECK ("maintenance_tickets"."response_target" in ('ACKNOWLEDGED','ON_SITE')),
	CONSTRAINT "maintenance_tickets_minutes_check" CHECK ("maintenance_tickets"."response_minutes" >= 1 and ("maintenance_tickets"."fix_minutes" is null or "maintenance_tickets"."fix_minutes" >= "maintenance_tickets"."response_minutes")),
	CONSTRAINT "maintenance_tickets_category_check" CHECK (char_length("maintenance_tickets"."category") between 1 and 50),
	CONSTRAINT "maintenance_tickets_description_check" CHECK (char_length("maintenance_tickets"."description") between 1 and 2000),
	CONSTRAINT "maintenance_tickets_events_check" CHECK ("maintenance_tickets"."last_seq" >= 1 and "maintenance_tickets"."last_event_at" >= "maintenance_tickets"."opened_at")
);
--> statement-breakpoint
CREATE TABLE "maintenance_zone_tables" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"entries" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_zone_tables_name_check" CHECK (char_length("maintenance_zone_tables"."name") between 1 and 100),
	CONSTRAINT "maintenance_zone_tables_version_check" CHECK ("maintenance_zone_tables"."version" >= 1),
	CONSTRAINT "maintenance_zone_tables_entries_check" CHECK (jsonb_typeof("maintenance_zone_tables"."entries") = 'array' and jsonb_array_length("maintenance_zone_tables"."entries") >= 1)
);
--> statement-breakpoint
ALTER TABLE "maintenance_asset_changes" ADD CONSTRAINT "maintenance_asset_changes_asset_id_maintenance_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."maintenance_assets"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_assets" ADD CONSTRAINT "maintenance_assets_site_org_id_organisations_id_fk" FOREIGN KEY ("site_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_breaches" ADD CONSTRAINT "maintenance_breaches_contract_id_maintenance_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."maintenance_contracts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_breaches" ADD CONSTRAINT "maintenance_breaches_ticket_id_maintenance_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."maintenance_tickets"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_contracts" ADD CONSTRAINT "maintenance_contracts_authority_org_id_organisations_id_fk" FOREIGN KEY ("authority_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_contracts" ADD CONSTRAINT "maintenance_contracts_maintainer_org_id_organisations_id_fk" FOREIGN KEY ("maintainer_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_contracts" ADD CONSTRAINT "maintenance_contracts_zone_table_id_maintenance_zone_tables_id_fk" FOREIGN KEY ("zone_table_id") REFERENCES "public"."maintenance_zone_tables"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_site_software" ADD CONSTRAINT "maintenance_site_software_site_org_id_organisations_id_fk" FOREIGN KEY ("site_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_sites" ADD CONSTRAINT "maintenance_sites_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_sites" ADD CONSTRAINT "maintenance_sites_contract_id_maintenance_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."maintenance_contracts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_software_changes" ADD CONSTRAINT "maintenance_software_changes_site_org_id_organisations_id_fk" FOREIGN KEY ("site_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_ticket_events" ADD CONSTRAINT "maintenance_ticket_events_ticket_id_maintenance_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."maintenance_tickets"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_tickets" ADD CONSTRAINT "maintenance_tickets_contract_id_maintenance_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."maintenance_contracts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_tickets" ADD CONSTRAINT "maintenance_tickets_site_org_id_organisations_id_fk" FOREIGN KEY ("site_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_tickets" ADD CONSTRAINT "maintenance_tickets_asset_id_maintenance_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."maintenance_assets"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "maintenance_assets_serial_key" ON "maintenance_assets" USING btree (upper("serial"));--> statement-breakpoint
CREATE INDEX "maintenance_assets_site_idx" ON "maintenance_assets" USING btree ("site_org_id","type");--> statement-breakpoint
CREATE UNIQUE INDEX "maintenance_breaches_ticket_kind_key" ON "maintenance_breaches" USING btree ("ticket_id","kind");--> statement-breakpoint
CREATE INDEX "maintenance_breaches_contract_idx" ON "maintenance_breaches" USING btree ("contract_id","occurred_at");--> statement-breakpoint
CREATE INDEX "maintenance_contracts_maintainer_idx" ON "maintenance_contracts" USING btree ("maintainer_org_id");--> statement-breakpoint
CREATE INDEX "maintenance_contracts_authority_idx" ON "maintenance_contracts" USING btree ("authority_org_id");--> statement-breakpoint
CREATE INDEX "maintenance_sites_contract_idx" ON "maintenance_sites" USING btree ("contract_id");--> statement-breakpoint
CREATE INDEX "maintenance_software_changes_site_idx" ON "maintenance_software_changes" USING btree ("site_org_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "maintenance_ticket_events_key" ON "maintenance_ticket_events" USING btree ("idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "maintenance_tickets_no_key" ON "maintenance_tickets" USING btree ("ticket_no");--> statement-breakpoint
CREATE INDEX "maintenance_tickets_site_idx" ON "maintenance_tickets" USING btree ("site_org_id","status");--> statement-breakpoint
CREATE INDEX "maintenance_tickets_contract_idx" ON "maintenance_tickets" USING btree ("contract_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "maintenance_zone_tables_name_version_key" ON "maintenance_zone_tables" USING btree ("name","version");--> statement-breakpoint
-- Ticket status histories and change histories are evidence (SLA clocks and breaches are derived
-- from them): the database refuses to change or remove a row once written.
CREATE FUNCTION maintenance_history_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER maintenance_ticket_events_append_only BEFORE UPDATE OR DELETE ON maintenance_ticket_events
  FOR EACH ROW EXECUTE FUNCTION maintenance_history_refuse_change();
--> statement-breakpoint
CREATE TRIGGER maintenance_asset_changes_append_only BEFORE UPDATE OR DELETE ON maintenance_asset_changes
  FOR EACH ROW EXECUTE FUNCTION maintenance_history_refuse_change();
--> statement-breakpoint
CREATE TRIGGER maintenance_software_changes_append_only BEFORE UPDATE OR DELETE ON maintenance_software_changes
  FOR EACH ROW EXECUTE FUNCTION maintenance_history_refuse_change();
