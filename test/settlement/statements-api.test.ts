import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { settlementStatements } from '../../src/modules/settlement/schema.ts';
import { SEED_002_OM } from '../../src/modules/settlement/seed-contracts.ts';
import { seedCity, useHarness, type Session } from '../helpers/app.ts';
import { expectError } from '../helpers/http.ts';
import { contractInput, createContract, draftStatement, type StatementBody } from './fixtures.ts';

// A shared two-core machine: generous limits; no timing is under test.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const h = useHarness();
let city: Awaited<ReturnType<typeof seedCity>>;
let manager: Session;
let admin: Session;
let engineer: Session;
let producer: Session;
let clerk: Session;
let contractId: string;

const SIGNING = { start: '2026-05-29', end: '2026-06-13' };
const ACCEPTANCE = { start: '2026-06-14', end: '2027-05-28' };
const input = () => contractInput(SEED_002_OM, { authorityOrgId: city.city.id, supplierOrgId: city.maintainer.id }, {}, { paymentTermDays: 15, interestPerDay: '0.05%' });
const post = (session: Session, url: string, body: unknown = {}) => h().request('POST', url, { session, body });
const statementUrl = (id: string, action = '') => `/api/v1/settlement/statements/${id}${action ? `/${action}` : ''}`;

beforeAll(async () => {
  city = await seedCity(h().ctx);
  manager = await h().login(city.usernames.AUTHORITY_MANAGER);
  admin = await h().login('admin');
  engineer = await h().login(city.usernames.MAINTAINER_ENGINEER);
  producer = await h().login(city.usernames.PRODUCER_OPERATOR);
  clerk = await h().login(city.usernames.OUTLET_CLERK);
  contractId = (await createContract(h(), manager, input())).id;
});

describe('contracts: bad input', () => {
  it('refuses a term overlapping another contract of the same supplier and service', async () => {
    const body = { ...input(), code: 'GAJ-XXHXTYW-3.2', term: { start: '2027-01-01', end: '2027-12-31', renewal: null } };
    body.prices = body.prices.map((p) => (p.price.kind === 'SHARE_OF_TOTAL' ? { ...p, price: { ...p.price, dueOn: '2027-06-30' } } : p));
    const error = expectError(await post(manager, '/api/v1/settlement/contracts', body), 409, 'SETTLEMENT_TERM_OVERLAP');
    expect(error.message).toContain('GAJ-XXHXTYW-3.1');
    // The same term for another supplier is fine.
    const other = await post(manager, '/api/v1/settlement/contracts', { ...body, supplierOrgId: city.sms.id });
    expect(other.statusCode, other.body).toBe(201);
  });

  it('refuses a price entry without a unit', async () => {
    const body = { ...input(), code: 'NO-UNIT', supplierOrgId: city.producer.id };
    body.prices = body.prices.map((p, i) => (i === 0 ? { ...p, unit: null } : p));
    expectError(await post(manager, '/api/v1/settlement/contracts', body), 400, 'SETTLEMENT_PRICE_UNIT_MISSING');
  });

  it('refuses unknown fields and money written as a number', async () => {
    expectError(await post(manager, '/api/v1/settlement/contracts', { ...input(), code: 'X-1', extra: true }), 400, 'VALIDATION_FAILED');
    expectError(await post(manager, '/api/v1/settlement/contracts', { ...input(), code: 'X-2', value: { kind: 'FIXED_TOTAL', total: 6015320 } }), 400, 'VALIDATION_FAILED');
  });

  it('refuses a period outside the term, and one that is not a billing period', async () => {
    expectError(await post(manager, '/api/v1/settlement/statements', { contractId, periodStart: '2026-05-01', periodEnd: '2026-06-13' }), 409, 'SETTLEMENT_PERIOD_OUTSIDE_TERM');
    expectError(await post(manager, '/api/v1/settlement/statements', { contractId, periodStart: '2026-05-29', periodEnd: '2026-06-30' }), 400, 'SETTLEMENT_PERIOD_NOT_IN_CYCLE');
  });

  it('lists the billing periods with their milestone due dates', async () => {
    const res = await h().request('GET', `/api/v1/settlement/contracts/${contractId}/periods`, { session: manager });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      items: [
        { ...SIGNING, due: '2026-06-13', statementId: null, status: null },
        { ...ACCEPTANCE, due: '2027-05-28', statementId: null, status: null },
      ],
    });
  });
});

describe('approval by two people, locking and adjusting', () => {
  let signing: StatementBody;

  it('drafts the signing milestone: 50 % of 6,015,320.00', async () => {
    signing = await draftStatement(h(), manager, contractId, SIGNING.start, SIGNING.end);
    expect(signing).toMatchObject({ status: 'DRAFT', kind: 'ORIGINAL', billable: '3007660.00', additions: '0.00', netPayable: '3007660.00' });
    expect(signing.lines).toEqual([expect.objectContaining({ key: 'line:SIGNING', count: 1, amount: '3007660.00', evidenceCount: 1 })]);
    expectError(await post(manager, '/api/v1/settlement/statements', { contractId, periodStart: SIGNING.start, periodEnd: SIGNING.end }), 409, 'SETTLEMENT_STATEMENT_EXISTS');
  });

  it('refuses invoices and payments before approval', async () => {
    expectError(await post(manager, statementUrl(signing.id, 'payments'), { paidOn: '2026-06-20', amount: '1.00' }), 409, 'SETTLEMENT_STATEMENT_STATE');
  });

  it('refuses the preparer approving their own statement; another manager approves it', async () => {
    const submitted = await post(manager, statementUrl(signing.id, 'submit'));
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json()).toMatchObject({ status: 'SUBMITTED', preparedBy: city.usernames.AUTHORITY_MANAGER });
    expectError(await post(manager, statementUrl(signing.id, 'approve')), 403, 'SETTLEMENT_SELF_APPROVAL');
    const approved = await post(admin, statementUrl(signing.id, 'approve'));
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'APPROVED', approvedBy: 'admin', preparedBy: city.usernames.AUTHORITY_MANAGER });
  });

  it('returns a submitted statement to draft with the reason', async () => {
    const acceptance = await draftStatement(h(), manager, contractId, ACCEPTANCE.start, ACCEPTANCE.end);
    expect(acceptance.netPayable).toBe('3007660.00');
    await post(manager, statementUrl(acceptance.id, 'submit'));
    expectError(await post(manager, statementUrl(acceptance.id, 'return'), {}), 400, 'VALIDATION_FAILED');
    const returned = await post(admin, statementUrl(acceptance.id, 'return'), { reason: '验收报告未附' });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json()).toMatchObject({ status: 'DRAFT', returnedReason: '验收报告未附' });
    expectError(await post(admin, statementUrl(acceptance.id, 'approve')), 409, 'SETTLEMENT_STATEMENT_STATE');
  });

  it('refuses any edit of an approved statement, in the API and in the database', async () => {
    expectError(await post(manager, statementUrl(signing.id, 'redraft')), 409, 'SETTLEMENT_STATEMENT_LOCKED');
    expectError(await post(manager, statementUrl(signing.id, 'submit')), 409, 'SETTLEMENT_STATEMENT_LOCKED');
    await expect(h().ctx.db.orm.update(settlementStatements).set({ netPayableFen: 1 }).where(eq(settlementStatements.id, signing.id))).rejects.toThrow();
    await expect(h().ctx.db.orm.delete(settlementStatements).where(eq(settlementStatements.id, signing.id))).rejects.toThrow();
    await expect(h().ctx.db.rows(null, sql`delete from settlement_statement_evidence where statement_id = ${signing.id}::uuid`)).rejects.toThrow();
    const [row] = await h().ctx.db.orm.select().from(settlementStatements).where(eq(settlementStatements.id, signing.id));
    expect(row).toMatchObject({ status: 'APPROVED', netPayableFen: 300766000 });
  });

  it('locks the contract terms once a statement is approved; the same terms can be saved again', async () => {
    const changed = input();
    changed.prices = changed.prices.map((p) => ({ ...p, label: `${p.label}（改）` }));
    expectError(await h().request('PUT', `/api/v1/settlement/contracts/${contractId}`, { session: manager, body: changed }), 409, 'SETTLEMENT_CONTRACT_LOCKED');
    const same = await h().request('PUT', `/api/v1/settlement/contracts/${contractId}`, { session: manager, body: input() });
    expect(same.statusCode, same.body).toBe(200);
  });

  it('tracks the invoice, payments, the due date, overdue and interest', async () => {
    const invoiced = await post(manager, statementUrl(signing.id, 'invoices'), { number: 'FP-2026-0001', issuedOn: '2026-06-20', amount: '3007660.00' });
    expect(invoiced.statusCode, invoiced.body).toBe(201);
    expect(invoiced.json()).toMatchObject({ dueOn: '2026-07-05', paid: '0.00', outstanding: '3007660.00', overdue: true });
    expectError(await post(manager, statementUrl(signing.id, 'invoices'), { number: 'FP-2026-0001', issuedOn: '2026-06-21', amount: '1.00' }), 409, 'SETTLEMENT_INVOICE_EXISTS');
    const part = await post(manager, statementUrl(signing.id, 'payments'), { paidOn: '2026-07-15', amount: '1000000.00', reference: 'BK-1' });
    expect(part.json()).toMatchObject({ paid: '1000000.00', outstanding: '2007660.00', overdue: true });
    const rest = await post(manager, statementUrl(signing.id, 'payments'), { paidOn: '2026-08-04', amount: '2007660.00' });
    // 10 days on 3,007,660.00 and 20 days on 2,007,660.00 at 0.05 % a day:
    // (300766000 × 10 + 200766000 × 20) fen-days × 0.0005 = 3,511,490 fen.
    expect(rest.json()).toMatchObject({ paid: '3007660.00', outstanding: '0.00', overdue: false, interestOwed: '35114.90' });
    expect((rest.json() as { payments: unknown[] }).payments).toHaveLength(2);
  });

  it('corrects an approved statement with an adjustment that supersedes it once approved', async () => {
    const res = await post(manager, statementUrl(signing.id, 'adjust'), { reason: '核对履约保证金到账日期' });
    expect(res.statusCode, res.body).toBe(201);
    const adjustment = res.json() as StatementBody & { adjustsId: string };
    expect(adjustment).toMatchObject({ kind: 'ADJUSTMENT', status: 'DRAFT', adjustsId: signing.id, netPayable: '3007660.00', adjustment: { previousNetPayable: '3007660.00', difference: '0.00' } });
    expect(adjustment.lines[0]!.difference).toBe('0.00');
    expectError(await post(manager, statementUrl(signing.id, 'adjust'), { reason: '再次' }), 409, 'SETTLEMENT_ADJUSTMENT_OPEN');
    await post(manager, statementUrl(adjustment.id, 'submit'));
    expect((await h().request('GET', statementUrl(signing.id), { session: manager })).json()).toMatchObject({ status: 'APPROVED' });
    const approved = await post(admin, statementUrl(adjustment.id, 'approve'));
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await h().request('GET', statementUrl(signing.id), { session: manager })).json()).toMatchObject({ status: 'SUPERSEDED' });
    expectError(await post(manager, '/api/v1/settlement/statements', { contractId, periodStart: SIGNING.start, periodEnd: SIGNING.end }), 409, 'SETTLEMENT_STATEMENT_EXISTS');
    const periods = (await h().request('GET', `/api/v1/settlement/contracts/${contractId}/periods`, { session: manager })).json() as { items: { statementId: string | null; status: string | null }[] };
    expect(periods.items[0]).toMatchObject({ statementId: adjustment.id, status: 'APPROVED' });
  });

  it('shows the spend against the contract total by month', async () => {
    const res = await h().request('GET', '/api/v1/settlement/dashboard?year=2026', { session: manager });
    expect(res.statusCode, res.body).toBe(200);
    const c = (res.json() as { contracts: { id: string; capFen: number | null; months: { month: string; billedFen: number; cumulativeFen: number }[] }[] }).contracts.find((x) => x.id === contractId)!;
    expect(c.capFen).toBe(601532000);
    expect(c.months.find((m) => m.month === '2026-06')).toEqual({ month: '2026-06', billedFen: 300766000, cumulativeFen: 300766000 });
    expect(c.months.find((m) => m.month === '2026-12')!.cumulativeFen).toBe(300766000);
  });
});

describe('who sees and does what', () => {
  it('shows the supplier its own contract and statements, read only', async () => {
    const list = await h().request('GET', '/api/v1/settlement/contracts', { session: engineer });
    expect((list.json() as { items: { id: string }[] }).items.map((c) => c.id)).toEqual([contractId]);
    const statements = await h().request('GET', `/api/v1/settlement/statements?contractId=${contractId}`, { session: engineer });
    expect((statements.json() as { total: number }).total).toBe(3);
    expectError(await post(engineer, '/api/v1/settlement/statements', { contractId, periodStart: ACCEPTANCE.start, periodEnd: ACCEPTANCE.end }), 403, 'FORBIDDEN');
  });

  it('hides other suppliers’ contracts and statements, and the module from roles without settlement.read', async () => {
    expect((await h().request('GET', '/api/v1/settlement/contracts', { session: producer })).json()).toEqual({ items: [] });
    expectError(await h().request('GET', `/api/v1/settlement/contracts/${contractId}`, { session: producer }), 404, 'NOT_FOUND');
    const [row] = await h().ctx.db.orm.select({ id: settlementStatements.id }).from(settlementStatements).where(eq(settlementStatements.contractId, contractId));
    expectError(await h().request('GET', statementUrl(row!.id), { session: producer }), 404, 'NOT_FOUND');
    expectError(await h().request('GET', '/api/v1/settlement/contracts', { session: clerk }), 403, 'FORBIDDEN');
  });
});
