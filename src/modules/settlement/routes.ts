import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import { Body, errorResponses, IdParams, listOf, Uuid } from '../../http/schemas.ts';
import { BILLING_CYCLES, PRICE_UNITS, SERVICE_KINDS } from './contract-rules.ts';
import { STATEMENT_STATUSES } from './schema.ts';
import { contractViews, createContract, listContracts, updateContract, visibleContract, type ContractInput } from './service.ts';
import {
  adjustStatement,
  approveStatement,
  contractPeriods,
  createStatement,
  dashboard,
  getStatement,
  listStatements,
  recordInvoice,
  recordPayment,
  redraftStatement,
  returnStatement,
  statementEvidence,
  submitStatement,
} from './statements.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const DateString = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
const Yuan = Type.String({ pattern: '^-?[0-9]{1,13}(\\.[0-9]{1,2})?$', description: 'yuan, at most two decimals: "200605.65"' });
const UnitPrice = Type.String({ pattern: '^[0-9]{1,9}(\\.[0-9]{1,5})?$', description: 'yuan per unit, up to five decimals: "0.035"' });
const RateText = Type.String({ pattern: '^[0-9]{1,6}(\\.[0-9]{1,6})?(%|‰|bp)$', description: '"5%", "1‰" or "25bp"' });
const Code = Type.String({ minLength: 1, maxLength: 100 });

const Price = Type.Union([
  Body({ kind: Type.Literal('PER_UNIT'), unitPrice: UnitPrice, ceiling: Type.Optional(Nullable(UnitPrice)) }),
  Body({ kind: Type.Literal('LESS_THAN_ITEM'), item: Code, less: UnitPrice }),
  Body({ kind: Type.Literal('SHARE_OF_TOTAL'), share: RateText, dueOn: DateString }),
]);
const PriceEntry = Body({
  item: Code,
  lot: Nullable(Type.String({ minLength: 1, maxLength: 20 })),
  label: Type.String({ minLength: 1, maxLength: 200 }),
  unit: Type.Union([Type.Enum(PRICE_UNITS), Type.Null()], { description: 'null is refused with SETTLEMENT_PRICE_UNIT_MISSING' }),
  price: Price,
});
const RuleId = Type.String({ minLength: 1, maxLength: 50 });
const PenaltyRule = Type.Union([
  Body({ id: RuleId, kind: Type.Literal('LATE_DELIVERY_PER_DAY'), perDay: RateText, cap: RateText }),
  Body({ id: RuleId, kind: Type.Literal('PER_BREACH'), perBreach: RateText, terminationAfter: Type.Integer({ minimum: 0, maximum: 1000 }), onTermination: RateText }),
  Body({ id: RuleId, kind: Type.Literal('DELIVERY_RATE_BELOW'), threshold: RateText, deduction: RateText }),
  Body({ id: RuleId, kind: Type.Literal('LATE_STATEMENT_PER_DAY'), perDay: RateText, dueDay: Type.Integer({ minimum: 0, maximum: 31 }) }),
  Body({
    id: RuleId,
    kind: Type.Literal('FAULT_OVERTIME'),
    min: RateText,
    max: RateText,
    tiers: Type.Array(Body({ fromMinutes: Type.Integer({ minimum: 0, maximum: 100_000 }), rate: RateText }), { maxItems: 10 }),
  }),
  Body({ id: RuleId, kind: Type.Literal('REPAIR_COST_SPLIT'), supplierBearsUpTo: Yuan }),
]);
const Value = Type.Union([Body({ kind: Type.Literal('FIXED_TOTAL'), total: Yuan }), Body({ kind: Type.Literal('CAP'), cap: Yuan }), Body({ kind: Type.Literal('OPEN') })]);
const Term = Body({
  start: DateString,
  end: DateString,
  renewal: Nullable(Body({ lengthMonths: Type.Integer({ minimum: 0, maximum: 120 }), max: Type.Integer({ minimum: 0, maximum: 20 }), taken: Type.Integer({ minimum: 0, maximum: 20 }) })),
});
const Source = Body({
  programmeIds: Type.Optional(Type.Array(Uuid, { maxItems: 50, description: 'card contracts: the programmes whose cards are billed' })),
  lotByReceiverOrgId: Type.Optional(Type.Record(Type.String({ format: 'uuid' }), Type.String({ minLength: 1, maxLength: 20 }), { description: 'contracts with lots: the lot of each receiving outlet or bank branch' })),
  smsProviders: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 10, description: 'SMS contracts: the provider names the outbox records' })),
  maintenanceContractId: Type.Optional(Uuid),
});
const contractFields = {
  code: Code,
  name: Type.String({ minLength: 1, maxLength: 200 }),
  authorityOrgId: Uuid,
  supplierOrgId: Uuid,
  serviceKind: Type.Enum(SERVICE_KINDS),
  term: Term,
  billingCycle: Type.Enum(BILLING_CYCLES),
  value: Value,
  lots: Type.Array(Body({ lot: Type.String({ minLength: 1, maxLength: 20 }), cap: Yuan }), { maxItems: 20 }),
  prices: Type.Array(PriceEntry, { minItems: 1, maxItems: 50 }),
  penaltyRules: Type.Array(PenaltyRule, { maxItems: 10 }),
  source: Source,
  paymentTermDays: Nullable(Type.Integer({ minimum: 0, maximum: 365 })),
  interestPerDay: Nullable(RateText),
};
const ContractBody = Body(contractFields);
const ContractView = Type.Object({
  id: Type.String(),
  ...contractFields,
  authorityName: Type.String(),
  supplierName: Type.String(),
  termEnd: Type.String({ description: 'last day of the term, renewals taken included' }),
  billedToDateFen: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const Money = Type.String();
const StatementView = Type.Object({
  id: Type.String(),
  contractId: Type.String(),
  contractCode: Type.String(),
  contractName: Type.String(),
  supplierName: Type.String(),
  kind: Type.String(),
  adjustsId: Nullable(Type.String()),
  adjustReason: Nullable(Type.String()),
  periodStart: Type.String(),
  periodEnd: Type.String(),
  status: Type.String(),
  draftedAt: Type.String(),
  draftedBy: Type.String(),
  preparedBy: Nullable(Type.String()),
  submittedAt: Nullable(Type.String()),
  approvedBy: Nullable(Type.String()),
  approvedAt: Nullable(Type.String()),
  returnedReason: Nullable(Type.String()),
  statement: Type.Unknown({ description: 'the computed statement (amounts in fen, unit prices in milli-fen)' }),
  lines: Type.Array(
    Type.Object({
      key: Type.String(),
      item: Type.String(),
      lot: Nullable(Type.String()),
      label: Type.String(),
      unit: Type.String(),
      count: Type.Integer(),
      unitPrice: Type.String(),
      amount: Money,
      formula: Type.String(),
      evidenceCount: Type.Integer(),
      difference: Nullable(Money),
    }),
  ),
  excludedCount: Type.Integer({ description: 'evidence under the line key "excluded": producer waste, resent messages' }),
  penalties: Type.Array(
    Type.Object({
      key: Type.String(),
      rule: Type.String(),
      kind: Type.String(),
      effect: Type.String(),
      label: Type.String(),
      amount: Money,
      explanation: Type.String(),
      items: Type.Array(Type.Object({ evidenceIds: Type.Array(Type.String()), amount: Money, formula: Type.String() })),
      cap: Nullable(Type.Object({ limit: Money, prior: Money, remaining: Money })),
      evidenceCount: Type.Integer(),
      difference: Nullable(Money),
    }),
  ),
  gross: Money,
  billable: Money,
  capApplied: Money,
  deductions: Money,
  additions: Money,
  netPayable: Money,
  netPayableFen: Type.Integer(),
  adjustment: Nullable(Type.Object({ previousNetPayable: Money, difference: Money })),
  invoices: Type.Array(Type.Object({ id: Type.String(), number: Type.String(), issuedOn: Type.String(), amount: Money, recordedBy: Type.String(), createdAt: Type.String() })),
  payments: Type.Array(Type.Object({ id: Type.String(), paidOn: Type.String(), amount: Money, reference: Nullable(Type.String()), recordedBy: Type.String(), createdAt: Type.String() })),
  amountDue: Money,
  paid: Money,
  outstanding: Nullable(Money),
  dueOn: Nullable(Type.String()),
  overdue: Type.Boolean(),
  interestOwed: Nullable(Money),
});
const StatementSummary = Type.Object({
  id: Type.String(),
  contractId: Type.String(),
  contractCode: Type.String(),
  contractName: Type.String(),
  supplierName: Type.String(),
  kind: Type.String(),
  adjustsId: Nullable(Type.String()),
  periodStart: Type.String(),
  periodEnd: Type.String(),
  status: Type.String(),
  billable: Money,
  netPayable: Money,
  draftedAt: Type.String(),
  approvedAt: Nullable(Type.String()),
});
const EvidenceRow = Type.Object({
  evidenceId: Type.String(),
  kind: Type.String({ description: 'CARD, SMS, MILESTONE, LATE_BATCH, BREACH or SMS_DELIVERY' }),
  on: Type.String(),
  details: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]), { description: 'the numbers shown; the same keys on every row of one kind' }),
});
const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
};
const Reason = Body({ reason: Type.String({ minLength: 1, maxLength: 500 }) });

const tags = ['settlement'];

export const settlementRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  /** Names the statement a request changed in its audit entry and answers with it as the console shows it. */
  const answerStatement = async (request: FastifyRequest, reply: FastifyReply, id: string, code: 200 | 201, details: Record<string, unknown>) => {
    request.auditTarget = { type: 'settlement_statement', id };
    request.auditDetails = details;
    return reply.code(code).send(await getStatement(ctx, request.principal!, id));
  };

  app.get(
    '/api/v1/settlement/contracts',
    {
      schema: {
        tags,
        summary: 'Settlement contracts I may see (the authority side, or my own organisation as supplier)',
        querystring: Type.Object({ serviceKind: Type.Optional(Type.Enum(SERVICE_KINDS)), supplierOrgId: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: { 200: listOf(ContractView), ...errorResponses },
      },
    },
    async (request) => ({ items: await contractViews(ctx, await listContracts(ctx, request.principal!, request.query)) }),
  );

  app.post(
    '/api/v1/settlement/contracts',
    { schema: { tags, summary: 'A settlement contract: parties, service, term and renewals, billing cycle, value or cap, lots, price list, penalty rules, and what statements draft from', body: ContractBody, response: { 201: ContractView, ...errorResponses } } },
    async (request, reply) => {
      const row = await createContract(ctx, request.principal!, request.body as ContractInput);
      request.auditTarget = { type: 'settlement_contract', id: row.id };
      request.auditDetails = { code: row.code, serviceKind: row.serviceKind };
      return reply.code(201).send((await contractViews(ctx, [row]))[0]!);
    },
  );

  app.get(
    '/api/v1/settlement/contracts/:id',
    { schema: { tags, summary: 'One settlement contract', params: IdParams, response: { 200: ContractView, ...errorResponses } } },
    async (request) => (await contractViews(ctx, [await visibleContract(ctx, request.principal!, request.params.id)]))[0],
  );

  app.put(
    '/api/v1/settlement/contracts/:id',
    {
      schema: {
        tags,
        summary: 'Replace a contract; once a statement of it is approved only renewals taken may be added (SETTLEMENT_CONTRACT_LOCKED)',
        params: IdParams,
        body: ContractBody,
        response: { 200: ContractView, ...errorResponses },
      },
    },
    async (request) => {
      const row = await updateContract(ctx, request.principal!, request.params.id, request.body as ContractInput);
      request.auditTarget = { type: 'settlement_contract', id: row.id };
      request.auditDetails = { code: row.code, renewalsTaken: row.renewal?.taken ?? 0 };
      return (await contractViews(ctx, [row]))[0];
    },
  );

  app.get(
    '/api/v1/settlement/contracts/:id/periods',
    {
      schema: {
        tags,
        summary: 'The billing periods of the term with the statement in force for each',
        params: IdParams,
        response: { 200: listOf(Type.Object({ start: Type.String(), end: Type.String(), due: Nullable(Type.String()), statementId: Nullable(Type.String()), status: Nullable(Type.String()) })), ...errorResponses },
      },
    },
    async (request) => contractPeriods(ctx, request.principal!, request.params.id),
  );

  app.post(
    '/api/v1/settlement/statements',
    {
      schema: {
        tags,
        summary: 'Draft the statement of one billing period from the recorded events (cards, messages, breaches, milestones)',
        body: Body({ contractId: Uuid, periodStart: DateString, periodEnd: DateString }),
        response: { 201: StatementView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const row = await createStatement(ctx, request.principal!, request.body);
      return answerStatement(request, reply, row.id, 201, { periodStart: row.periodStart, periodEnd: row.periodEnd, netPayableFen: row.netPayableFen });
    },
  );

  app.get(
    '/api/v1/settlement/statements',
    {
      schema: {
        tags,
        summary: 'Statements I may see, latest period first',
        querystring: Type.Object({ contractId: Type.Optional(Uuid), status: Type.Optional(Type.Enum(STATEMENT_STATUSES)), ...Paging }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(StatementSummary), total: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => listStatements(ctx, request.principal!, request.query),
  );

  app.get(
    '/api/v1/settlement/statements/:id',
    { schema: { tags, summary: 'One statement: lines, caps, penalties with their numbers, net payable, invoices and payments', params: IdParams, response: { 200: StatementView, ...errorResponses } } },
    async (request) => getStatement(ctx, request.principal!, request.params.id),
  );

  app.get(
    '/api/v1/settlement/statements/:id/evidence',
    {
      schema: {
        tags,
        summary: 'The recorded facts behind one line or penalty (line = lines[].key, penalties[].key or "excluded")',
        params: IdParams,
        querystring: Type.Object({ line: Type.String({ minLength: 1, maxLength: 200 }), ...Paging }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(EvidenceRow), total: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => statementEvidence(ctx, request.principal!, request.params.id, request.query),
  );

  const transition = (path: string, summary: string, run: (id: string, principal: Principal, body: { reason?: string }) => Promise<{ id: string; status: string }>, body?: TSchema) => {
    app.post(
      `/api/v1/settlement/statements/:id/${path}`,
      { schema: { tags, summary, params: IdParams, ...(body ? { body } : { body: Body({}) }), response: { 200: StatementView, 201: StatementView, ...errorResponses } } },
      async (request, reply) => {
        const row = await run(request.params.id, request.principal!, (request.body ?? {}) as { reason?: string });
        const adjusted = row.id !== request.params.id;
        return answerStatement(request, reply, row.id, adjusted ? 201 : 200, { status: row.status, ...(adjusted ? { adjusts: request.params.id } : {}) });
      },
    );
  };
  transition('redraft', 'Read the recorded events again into a DRAFT statement', (id, p) => redraftStatement(ctx, p, id));
  transition('submit', 'Submit a DRAFT for approval (I become its preparer)', (id, p) => submitStatement(ctx, p, id));
  transition('approve', 'Approve a SUBMITTED statement (not the preparer: SETTLEMENT_SELF_APPROVAL); it is locked from now on', (id, p) => approveStatement(ctx, p, id));
  transition('return', 'Return a SUBMITTED statement to DRAFT with the reason', (id, p, b) => returnStatement(ctx, p, id, b.reason ?? ''), Reason);
  transition('adjust', 'Correct an APPROVED statement: a new ADJUSTMENT drafted from the events again (201); the original is superseded when it is approved', (id, p, b) => adjustStatement(ctx, p, id, b.reason ?? ''), Reason);

  app.post(
    '/api/v1/settlement/statements/:id/invoices',
    {
      schema: {
        tags,
        summary: "Record the supplier's invoice for an APPROVED statement",
        params: IdParams,
        body: Body({ number: Type.String({ minLength: 1, maxLength: 64 }), issuedOn: DateString, amount: Yuan }),
        response: { 201: StatementView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const row = await recordInvoice(ctx, request.principal!, request.params.id, request.body);
      return answerStatement(request, reply, request.params.id, 201, { invoice: row.number, amountFen: row.amountFen });
    },
  );

  app.post(
    '/api/v1/settlement/statements/:id/payments',
    {
      schema: {
        tags,
        summary: 'Record a payment made on an APPROVED statement',
        params: IdParams,
        body: Body({ paidOn: DateString, amount: Yuan, reference: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))) }),
        response: { 201: StatementView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const row = await recordPayment(ctx, request.principal!, request.params.id, request.body);
      return answerStatement(request, reply, request.params.id, 201, { paidOn: row.paidOn, amountFen: row.amountFen });
    },
  );

  app.get(
    '/api/v1/settlement/dashboard',
    {
      schema: {
        tags,
        summary: "Spend against each contract's cap by month (what statements billed, by the month their period ends)",
        querystring: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            contracts: Type.Array(
              Type.Object({
                id: Type.String(),
                code: Type.String(),
                name: Type.String(),
                capFen: Nullable(Type.Integer()),
                months: Type.Array(Type.Object({ month: Type.String(), billedFen: Type.Integer(), cumulativeFen: Type.Integer() })),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => dashboard(ctx, request.principal!, request.query.year),
  );
};
