CREATE TABLE "settlement_contracts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"authority_org_id" uuid NOT NULL,
	"supplier_org_id" uuid NOT NULL,
	"service_kind" text NOT NULL,
	"term_start" date NOT NULL,
	"term_end" date NOT NULL,
	"renewal" jsonb,
	"cycle" text NOT NULL,
	"value" jsonb NOT NULL,
	"lot_caps" jsonb NOT NULL,
	"prices" jsonb NOT NULL,
	"penalties" jsonb NOT NULL,
	"source" jsonb NOT NULL,
	"payment_term_days" integer,
	"interest_per_day" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "settlement_contracts_code_check" CHECK (char_length("settlement_contracts"."code") between 1 and 100),
	CONSTRAINT "settlement_contracts_name_check" CHECK (char_length("settlement_contracts"."name") between 1 and 200),
	CONSTRAINT "settlement_contracts_service_kind_check" CHECK ("settlement_contracts"."service_kind" in ('CARD_PRODUCTION','CARD_PURCHASE_PERSONALISATION','SMS','MAINTENANCE','SYSTEM_OM')),
	CONSTRAINT "settlement_contracts_cycle_check" CHECK ("settlement_contracts"."cycle" in ('MONTHLY','QUARTERLY','HALF_YEARLY','MILESTONE')),
	CONSTRAINT "settlement_contracts_term_check" CHECK ("settlement_contracts"."term_end" >= "settlement_contracts"."term_start"),
	CONSTRAINT "settlement_contracts_parties_check" CHECK ("settlement_contracts"."authority_org_id" <> "settlement_contracts"."supplier_org_id"),
	CONSTRAINT "settlement_contracts_json_check" CHECK (jsonb_typeof("settlement_contracts"."prices") = 'array' and jsonb_typeof("settlement_contracts"."penalties") = 'array' and jsonb_typeof("settlement_contracts"."lot_caps") = 'object' and jsonb_typeof("settlement_contracts"."source") = 'object'),
	CONSTRAINT "settlement_contracts_payment_term_check" CHECK ("settlement_contracts"."payment_term_days" is null or "settlement_contracts"."payment_term_days" between 0 and 365)
);
--> statement-breakpoint
CREATE TABLE "settlement_invoices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"statement_id" uuid NOT NULL,
	"number" text NOT NULL,
	"issued_on" date NOT NULL,
	"amount_fen" bigint NOT NULL,
	"recorded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "settlement_invoices_number_check" CHECK (char_length("settlement_invoices"."number") between 1 and 64),
	CONSTRAINT "settlement_invoices_amount_check" CHECK ("settlement_invoices"."amount_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "settlement_payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"statement_id" uuid NOT NULL,
	"paid_on" date NOT NULL,
	"amount_fen" bigint NOT NULL,
	"reference" text,
	"recorded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "settlement_payments_amount_check" CHECK ("settlement_payments"."amount_fen" > 0),
	CONSTRAINT "settlement_payments_reference_check" CHECK ("settlement_payments"."reference" is null or char_length("settlement_payments"."reference") between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE "settlement_statement_evidence" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "settlement_statement_evidence_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"statement_id" uuid NOT NULL,
	"line_key" text NOT NULL,
	"evidence_id" text NOT NULL,
	"kind" text NOT NULL,
	"on" date NOT NULL,
	"data" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settlement_statements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contract_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"adjusts_id" uuid,
	"adjust_reason" text,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"status" text NOT NULL,
	"statement" jsonb NOT NULL,
	"billable_fen" bigint NOT NULL,
	"net_payable_fen" bigint NOT NULL,
	"drafted_at" timestamp with time zone NOT NULL,
	"drafted_by" text NOT NULL,
	"prepared_by" uuid,
	"prepared_by_name" text,
	"submitted_at" timestamp with time zone,
	"approved_by" uuid,
	"approved_by_name" text,
	"approved_at" timestamp with time zone,
	"returned_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "settlement_statements_kind_check" CHECK ("settlement_statements"."kind" in ('ORIGINAL','ADJUSTMENT')),
	CONSTRAINT "settlement_statements_status_check" CHECK ("settlement_statements"."status" in ('DRAFT','SUBMITTED','APPROVED','SUPERSEDED')),
	CONSTRAINT "settlement_statements_adjusts_check" CHECK (("settlement_statements"."kind" = 'ADJUSTMENT') = ("settlement_statements"."adjusts_id" is not null and "settlement_statements"."adjust_reason" is not null)),
	CONSTRAINT "settlement_statements_period_check" CHECK ("settlement_statements"."period_end" >= "settlement_statements"."period_start"),
	CONSTRAINT "settlement_statements_submitted_check" CHECK ("settlement_statements"."status" = 'DRAFT' or ("settlement_statements"."prepared_by" is not null and "settlement_statements"."submitted_at" is not null)),
	CONSTRAINT "settlement_statements_approved_check" CHECK (("settlement_statements"."status" in ('APPROVED','SUPERSEDED')) = ("settlement_statements"."approved_by" is not null and "settlement_statements"."approved_at" is not null)),
	CONSTRAINT "settlement_statements_two_people_check" CHECK ("settlement_statements"."approved_by" is null or "settlement_statements"."approved_by" <> "settlement_statements"."prepared_by")
);
--> statement-breakpoint
ALTER TABLE "settlement_contracts" ADD CONSTRAINT "settlement_contracts_authority_org_id_organisations_id_fk" FOREIGN KEY ("authority_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlement_contracts" ADD CONSTRAINT "settlement_contracts_supplier_org_id_organisations_id_fk" FOREIGN KEY ("supplier_org_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlement_invoices" ADD CONSTRAINT "settlement_invoices_statement_id_settlement_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."settlement_statements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlement_payments" ADD CONSTRAINT "settlement_payments_statement_id_settlement_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."settlement_statements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlement_statement_evidence" ADD CONSTRAINT "settlement_statement_evidence_statement_id_settlement_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."settlement_statements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlement_statements" ADD CONSTRAINT "settlement_statements_contract_id_settlement_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."settlement_contracts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlement_statements" ADD CONSTRAINT "settlement_statements_adjusts_id_settlement_statements_id_fk" FOREIGN KEY ("adjusts_id") REFERENCES "public"."settlement_statements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "settlement_contracts_code_key" ON "settlement_contracts" USING btree ("code");--> statement-breakpoint
CREATE INDEX "settlement_contracts_supplier_idx" ON "settlement_contracts" USING btree ("supplier_org_id","service_kind");--> statement-breakpoint
CREATE UNIQUE INDEX "settlement_invoices_number_key" ON "settlement_invoices" USING btree ("statement_id","number");--> statement-breakpoint
CREATE INDEX "settlement_payments_statement_idx" ON "settlement_payments" USING btree ("statement_id");--> statement-breakpoint
CREATE INDEX "settlement_statement_evidence_line_idx" ON "settlement_statement_evidence" USING btree ("statement_id","line_key","id");--> statement-breakpoint
CREATE UNIQUE INDEX "settlement_statements_live_key" ON "settlement_statements" USING btree ("contract_id","period_start","period_end") WHERE "settlement_statements"."kind" = 'ORIGINAL' and "settlement_statements"."status" <> 'SUPERSEDED';--> statement-breakpoint
CREATE UNIQUE INDEX "settlement_statements_open_adjustment_key" ON "settlement_statements" USING btree ("adjusts_id") WHERE "settlement_statements"."status" in ('DRAFT','SUBMITTED');--> statement-breakpoint
CREATE INDEX "settlement_statements_contract_idx" ON "settlement_statements" USING btree ("contract_id","period_start");--> statement-breakpoint
-- An approved statement is what was paid on: nothing of it changes, except that an approved adjustment
-- marks it SUPERSEDED; a superseded one never changes again, and neither is ever deleted.
CREATE FUNCTION settlement_statement_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status IN ('APPROVED', 'SUPERSEDED') THEN
    IF TG_OP = 'UPDATE' AND OLD.status = 'APPROVED' AND NEW.status = 'SUPERSEDED'
       AND (to_jsonb(NEW) - 'status' - 'updated_at') = (to_jsonb(OLD) - 'status' - 'updated_at') THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'settlement statement % is locked', OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER settlement_statements_locked BEFORE UPDATE OR DELETE ON settlement_statements
  FOR EACH ROW EXECUTE FUNCTION settlement_statement_refuse_change();
--> statement-breakpoint
-- Evidence rows change only while their statement is a draft (a redraft replaces them).
CREATE FUNCTION settlement_evidence_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  s text;
BEGIN
  SELECT status INTO s FROM settlement_statements WHERE id = COALESCE(NEW.statement_id, OLD.statement_id);
  IF s IS DISTINCT FROM 'DRAFT' THEN
    RAISE EXCEPTION 'the evidence of settlement statement % is locked', COALESCE(NEW.statement_id, OLD.statement_id) USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER settlement_statement_evidence_locked BEFORE INSERT OR UPDATE OR DELETE ON settlement_statement_evidence
  FOR EACH ROW EXECUTE FUNCTION settlement_evidence_refuse_change();
