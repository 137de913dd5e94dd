CREATE TABLE "maintenance_repairs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contract_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"part" text NOT NULL,
	"quantity" integer NOT NULL,
	"serials" text[] NOT NULL,
	"cost_fen" bigint NOT NULL,
	"repaired_on" date NOT NULL,
	"reference" text,
	"status" text NOT NULL,
	"recorded_by_org_id" uuid NOT NULL,
	"recorded_by_id" uuid,
	"decided_by_id" uuid,
	"decided_at" timestamp with time zone,
	"dispute_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_repairs_part_check" CHECK (char_length("maintenance_repairs"."part") between 1 and 200),
	CONSTRAINT "maintenance_repairs_quantity_check" CHECK ("maintenance_repairs"."quantity" between 1 and 10000),
	CONSTRAINT "maintenance_repairs_serials_check" CHECK (cardinality("maintenance_repairs"."serials") <= 50),
	CONSTRAINT "maintenance_repairs_cost_check" CHECK ("maintenance_repairs"."cost_fen" > 0),
	CONSTRAINT "maintenance_repairs_reference_check" CHECK ("maintenance_repairs"."reference" is null or char_length("maintenance_repairs"."reference") between 1 and 100),
	CONSTRAINT "maintenance_repairs_status_check" CHECK ("maintenance_repairs"."status" in ('RECORDED','CONFIRMED','DISPUTED')),
	CONSTRAINT "maintenance_repairs_decided_check" CHECK (("maintenance_repairs"."status" = 'RECORDED') = ("maintenance_repairs"."decided_at" is null)),
	CONSTRAINT "maintenance_repairs_dispute_check" CHECK (("maintenance_repairs"."status" = 'DISPUTED') = ("maintenance_repairs"."dispute_reason" is not null) and ("maintenance_repairs"."dispute_reason" is null or char_length("maintenance_repairs"."dispute_reason") between 1 and 500))
);--> statement-breakpoint
ALTER TABLE "maintenance_repairs" ADD CONSTRAINT "maintenance_repairs_recorded_by_org_id_organisations_id_fk" FOREIGN KEY ("recorded_by_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_repairs" ADD CONSTRAINT "maintenance_repairs_recorded_by_id_users_id_fk" FOREIGN KEY ("recorded_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_repairs" ADD CONSTRAINT "maintenance_repairs_decided_by_id_users_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_repairs" ADD CONSTRAINT "maintenance_repairs_contract_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."maintenance_contracts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_repairs" ADD CONSTRAINT "maintenance_repairs_ticket_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."maintenance_tickets"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "maintenance_repairs_ticket_idx" ON "maintenance_repairs" USING btree ("ticket_id","created_at");--> statement-breakpoint
CREATE INDEX "maintenance_repairs_contract_idx" ON "maintenance_repairs" USING btree ("contract_id","status","repaired_on");
