import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDaysToDate, shanghaiDate } from '../../src/modules/calendar/zone.ts';
import { REPAIR_STATUSES } from '../../src/modules/maintenance/repairs-rules.ts';
import { maintenanceRepairs } from '../../src/modules/maintenance/repairs-schema.ts';
import { SEED_002_OM } from '../../src/modules/settlement/seed-contracts.ts';
import { enUS } from '../../web/src/i18n/en-US.ts';
import { zhCN } from '../../web/src/i18n/zh-CN.ts';
import type { Session } from '../helpers/app.ts';
import { useHarness } from '../helpers/app.ts';
import { auditEntryFor, expectError } from '../helpers/http.ts';
import { contractInput, createContract, draftStatement, evidence } from '../settlement/fixtures.ts';
import { openAt, seedCoreSystem, seedMaintenance, type Maintenance } from './fixtures.ts';

/**
 * Repair events of tickets (seed 002 §3.2(4)): recorded by the maintainer, confirmed or disputed by the
 * authority, and only the confirmed ones priced by a seed-002 statement.
 */

const h = useHarness();
const today = shanghaiDate(new Date());
let m: Maintenance;
let ticketId: string;
let otherTicketId: string;
let otherEngineer: Session;

interface RepairBody {
  id: string;
  ticketId: string;
  cost: string;
  status: string;
  borneBy: string;
  maintainerShare: string;
  authorityShare: string;
  serials: string[];
  reference: string | null;
  recordedByName: string | null;
  decidedByName: string | null;
  disputeReason: string | null;
}

const base = () => ({ contractId: m.contract.id, ticketId, part: '读卡器 DC-T10', quantity: 1, cost: '8000.00', repairedOn: '2026-08-14' });
const record = (body: Record<string, unknown>, session: Session = m.sessions.engineer) => h().request('POST', '/api/v1/maintenance/repairs', { session, body: { ...base(), ...body } });
const confirm = (id: string, session: Session = m.sessions.manager) => h().request('POST', `/api/v1/maintenance/repairs/${id}/confirm`, { session });
const dispute = (id: string, reason: string, session: Session = m.sessions.manager) => h().request('POST', `/api/v1/maintenance/repairs/${id}/dispute`, { session, body: { reason } });

async function recorded(body: Record<string, unknown>): Promise<RepairBody> {
  const res = await record(body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as RepairBody;
}

beforeAll(async () => {
  m = await seedMaintenance(h());
  const t = await openAt(h(), m.sessions.clerkA, m.city.outletA.id, '2026-06-01T10:00');
  expect(t.statusCode, t.body).toBe(201);
  ticketId = (t.json() as { id: string }).id;
  const core = await seedCoreSystem(h(), m, '居住证信息系统运维（驻场）', '2026-01-01', today);
  otherEngineer = core.otherEngineer;
  const o = await openAt(h(), m.sessions.manager, core.coreSiteId, '2026-06-01T10:00');
  expect(o.statusCode, o.body).toBe(201);
  otherTicketId = (o.json() as { id: string }).id;
});

describe('repair events of a ticket', () => {
  it('the maintainer records an event in fen; the authority confirms it; both audited', async () => {
    const res = await record({ cost: '12345.67', serials: [' SN-001 ', 'SN-002', 'SN-001'], reference: 'FP-2026-0815' });
    expect(res.statusCode, res.body).toBe(201);
    expect((await auditEntryFor(h().ctx, res)).action).toBe('maintenance.repair.record');
    const body = res.json() as RepairBody;
    expect(body).toMatchObject({ ticketId, cost: '12345.67', status: 'RECORDED', borneBy: 'AUTHORITY', maintainerShare: '0.00', authorityShare: '12345.67', serials: ['SN-001', 'SN-002'], reference: 'FP-2026-0815' });
    const [row] = await h().ctx.db.orm.select().from(maintenanceRepairs).where(eq(maintenanceRepairs.id, body.id));
    expect(row!.costFen).toBe(1234567);

    const ok = await confirm(body.id);
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await auditEntryFor(h().ctx, ok)).action).toBe('maintenance.repair.confirm');
    expect(ok.json()).toMatchObject({ status: 'CONFIRMED', decidedByName: expect.any(String) });
    expectError(await confirm(body.id), 409, 'REPAIR_DECIDED');
  });

  it('lists the events of a ticket with who bears each and what the caller may do', async () => {
    await recorded({ cost: '10000', repairedOn: '2026-06-02' });
    const asEngineer = (await h().request('GET', `/api/v1/maintenance/tickets/${ticketId}/repairs`, { session: m.sessions.engineer })).json() as { mayRecord: boolean; mayDecide: boolean; maintainerBearsUpTo: string; items: RepairBody[] };
    expect(asEngineer).toMatchObject({ mayRecord: true, mayDecide: false, maintainerBearsUpTo: '10000.00' });
    expect(asEngineer.items.map((r) => [r.cost, r.borneBy, r.maintainerShare, r.authorityShare])).toEqual([
      ['10000.00', 'MAINTAINER', '10000.00', '0.00'],
      ['12345.67', 'AUTHORITY', '0.00', '12345.67'],
    ]);
    const asManager = (await h().request('GET', `/api/v1/maintenance/tickets/${ticketId}/repairs`, { session: m.sessions.manager })).json() as { mayRecord: boolean; mayDecide: boolean };
    expect(asManager).toMatchObject({ mayRecord: false, mayDecide: true });
    expectError(await h().request('GET', `/api/v1/maintenance/tickets/${ticketId}/repairs`, { session: otherEngineer }), 404, 'NOT_FOUND');
  });

  it('the authority disputes an event with a reason; a disputed event cannot be confirmed after', async () => {
    const r = await recorded({ cost: '20000.00', repairedOn: '2026-09-01' });
    expectError(await h().request('POST', `/api/v1/maintenance/repairs/${r.id}/dispute`, { session: m.sessions.manager, body: {} }), 400, 'VALIDATION_FAILED');
    const res = await dispute(r.id, '报价高于市场价');
    expect(res.statusCode, res.body).toBe(200);
    expect((await auditEntryFor(h().ctx, res)).action).toBe('maintenance.repair.dispute');
    expect(res.json()).toMatchObject({ status: 'DISPUTED', disputeReason: '报价高于市场价' });
    expectError(await confirm(r.id), 409, 'REPAIR_DECIDED');
  });

  it('refuses a cost of zero or less, one that is not an amount, and one with more than two decimals', async () => {
    for (const cost of ['0', '0.00', '-100.00']) expect(expectError(await record({ cost }), 400, 'REPAIR_INVALID').message, cost).toContain('0');
    for (const cost of ['abc', '1e4', '12,345.67', '']) expectError(await record({ cost }), 400, 'REPAIR_INVALID');
    expect(expectError(await record({ cost: '100.123' }), 400, 'REPAIR_INVALID').message).toContain('2');
    expectError(await record({ cost: 100 }), 400, 'VALIDATION_FAILED');
  });

  it('refuses a date in the future or before the ticket was opened', async () => {
    expect(expectError(await record({ repairedOn: addDaysToDate(today, 1) }), 400, 'REPAIR_INVALID').message).toContain(addDaysToDate(today, 1));
    expect(expectError(await record({ repairedOn: '2026-05-31' }), 400, 'REPAIR_INVALID').message).toContain('2026-06-01');
    expectError(await record({ repairedOn: '2026-13-01' }), 400, 'REPAIR_INVALID');
  });

  it('refuses a ticket of another contract, and anyone but the maintainer of the contract', async () => {
    expectError(await record({ ticketId: otherTicketId }), 409, 'REPAIR_TICKET_OTHER_CONTRACT');
    expectError(await record({}, otherEngineer), 403, 'REPAIR_NOT_MAINTAINER');
    expectError(await record({}, m.sessions.manager), 403, 'FORBIDDEN');
    expect(await h().ctx.db.orm.select().from(maintenanceRepairs).where(eq(maintenanceRepairs.ticketId, otherTicketId))).toHaveLength(0);
  });

  it('refuses confirming or disputing your own organisation’s record, and anyone but the authority', async () => {
    const r = await recorded({ cost: '500.00' });
    expectError(await confirm(r.id, m.sessions.engineer), 403, 'REPAIR_OWN_RECORD');
    expectError(await dispute(r.id, '不同意', m.sessions.engineer), 403, 'REPAIR_OWN_RECORD');
    expectError(await confirm(r.id, m.sessions.clerkA), 403, 'REPAIR_NOT_AUTHORITY');
    expectError(await confirm(r.id, otherEngineer), 404, 'NOT_FOUND');
    const [row] = await h().ctx.db.orm.select().from(maintenanceRepairs).where(eq(maintenanceRepairs.id, r.id));
    expect(row!.status).toBe('RECORDED');
  });
});

describe('seed 002 statements from confirmed repair events', () => {
  it('adds a confirmed event above 10,000.00 as a whole to the payment, to the fen', async () => {
    const contract = await createContract(
      h(),
      m.sessions.manager,
      contractInput(SEED_002_OM, { authorityOrgId: m.city.city.id, supplierOrgId: m.city.maintainer.id }, { maintenanceContractId: m.contract.id }),
    );
    // The events of the tests above are on this contract too: 12,345.67 confirmed (2026-08-14), 10,000.00,
    // 20,000.00 disputed and 500.00 still recorded. Add 8,000.00 and 15,000.00 confirmed, and 15,000.00 left unconfirmed.
    for (const [cost, repairedOn] of [
      ['8000.00', '2026-10-20'],
      ['15000.00', '2026-11-02'],
    ] as const) {
      const r = await recorded({ cost, repairedOn });
      expect((await confirm(r.id)).statusCode).toBe(200);
    }
    await recorded({ cost: '15000.00', repairedOn: '2026-11-03' });
    const early = await recorded({ cost: '10000.01', repairedOn: '2026-06-05' });
    expect((await confirm(early.id)).statusCode).toBe(200);

    const first = await draftStatement(h(), m.sessions.manager, contract.id, '2026-05-29', '2026-06-13');
    // 50 % of 6,015,320.00, plus the 10,000.01 of 2026-06-05; the 10,000.00 of 2026-06-02 stays with the maintainer.
    expect(first).toMatchObject({ billable: '3007660.00', additions: '10000.01', deductions: '0.00', netPayable: '3017660.01' });

    const second = await draftStatement(h(), m.sessions.manager, contract.id, '2026-06-14', '2027-05-28');
    // Confirmed: 12,345.67 and 15,000.00 are the authority's, 8,000.00 the maintainer's:
    // 3,007,660.00 + 12,345.67 + 15,000.00 = 3,035,005.67.
    expect(second).toMatchObject({ billable: '3007660.00', additions: '27345.67', deductions: '0.00', netPayable: '3035005.67' });
    const items = await evidence(h(), m.sessions.manager, second.id, 'penalty:repair-split');
    expect(items.items.map((e) => [e.on, e.details.cost])).toEqual([
      ['2026-08-14', '12345.67'],
      ['2026-10-20', '8000.00'],
      ['2026-11-02', '15000.00'],
    ]);
    expect(items.items[0]!.details).toMatchObject({ ticketId, part: '读卡器 DC-T10', quantity: 1 });
  });
});

describe('the console', () => {
  it.each([...REPAIR_STATUSES.map((s) => `maint.repair.status.${s}`), 'maint.repair.borne.MAINTAINER', 'maint.repair.borne.AUTHORITY'])('names %s in both languages', (key) => {
    expect(zhCN).toHaveProperty([key]);
    expect(enUS).toHaveProperty([key]);
  });
});
