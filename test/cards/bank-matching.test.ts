import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { applicationEvents, applications, notificationOutbox } from '../../src/modules/applications/schema.ts';
import { cardAttempts } from '../../src/modules/cards/schema.ts';
import { loadWorkingCalendar } from '../../src/modules/calendar/service.ts';
import { dueAfter } from '../../src/modules/production/rules.ts';
import { decryptField } from '../../src/platform/crypto/field-cipher.ts';
import { useHarness, type Session } from '../helpers/app.ts';
import { auditEntryFor, expectError } from '../helpers/http.ts';
import { approvedApplications, batchAll, seedLifecycle, type Lifecycle } from '../lifecycle/fixtures.ts';
import { bankAccount, outsider } from './fixtures.ts';

const h = useHarness();
let lc: Lifecycle;
let parentBank: Session;

beforeAll(async () => {
  lc = await seedLifecycle(h());
  // A user of another bank in the city: it must not see or decide the branch's applications.
  parentBank = (await outsider(h(), { orgName: '另一家银行', kind: 'BANK', parentId: lc.city.city.id, username: 'bank_other', role: 'BANK_OPERATOR' })).session;
});

async function application(id: string) {
  const [row] = await h().ctx.db.orm.select().from(applications).where(eq(applications.id, id));
  return row!;
}

const match = (session: Session, id: string, body: Record<string, unknown>) => h().request('POST', `/api/v1/applications/${id}/bank-match`, { session, body });

describe('bank matching queue and decisions', () => {
  it("lists the bank's approved applications (masked), matches one and starts the clock", async () => {
    const [a, b] = await approvedApplications(h(), lc, 'ssc', 1, 2);
    const queue = await h().request('GET', '/api/v1/bank-matching', { session: lc.sessions.bank });
    expect(queue.statusCode, queue.body).toBe(200);
    const page = queue.json() as { items: { id: string; applicationNo: string; nameMasked: string; outletName: string; waitingSince: string }[]; total: number };
    expect(page.items.map((i) => i.id)).toEqual([a, b]);
    expect(page.items[0]!.outletName).toBe('湖塘派出所受理点');
    expect(page.items[0]!.nameMasked).toContain('*');
    expect(queue.body).not.toContain('申一');

    const account = bankAccount(1);
    const before = Date.now();
    const res = await match(lc.sessions.bank, a!, { decision: 'MATCHED', bankAccount: `${account.slice(0, 6)} ${account.slice(6)}` });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { status: string; bankAccountMasked: string; changed: boolean };
    expect(body).toMatchObject({ status: 'MATCHED', bankAccountMasked: `${'*'.repeat(15)}${account.slice(-4)}`, changed: true });
    expect(res.body).not.toContain(account);
    const row = await application(a!);
    expect(row.status).toBe('MATCHED');
    expect(decryptField(h().ctx.keyring, row.bankAccountEnc!)).toBe(account);
    expect(row.bankMatchedAt!.getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(row.bankMatchedAt!.getTime()).toBeLessThanOrEqual(Date.now());
    const events = await h().ctx.db.orm.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, a!), eq(applicationEvents.type, 'MATCHED')));
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0]!.details)).not.toContain(account);
    const audit = await auditEntryFor(h().ctx, res);
    expect(audit.action).toBe('application.bank.match');
    expect(JSON.stringify(audit.details)).not.toContain(account);

    // The same decision again (a retry) changes nothing; the queue no longer shows the application.
    const again = await match(lc.sessions.bank, a!, { decision: 'MATCHED', bankAccount: account });
    expect(again.json()).toMatchObject({ status: 'MATCHED', changed: false });
    expect((await application(a!)).bankMatchedAt!.getTime()).toBe(row.bankMatchedAt!.getTime());
    const after = (await h().request('GET', '/api/v1/bank-matching', { session: lc.sessions.bank })).json() as { items: { id: string }[] };
    expect(after.items.map((i) => i.id)).toEqual([b]);
    // A different account for an already matched application is refused.
    expectError(await match(lc.sessions.bank, a!, { decision: 'MATCHED', bankAccount: bankAccount(2) }), 409, 'APPLICATION_STATE_INVALID');

    // The producer's 6-working-day clock starts at the match, not when the batch is made.
    const cal = await loadWorkingCalendar(h().ctx);
    const [batch] = await batchAll(h(), lc, lc.ssc.id);
    const [card] = await h().ctx.db.orm.select().from(cardAttempts).where(and(eq(cardAttempts.batchId, batch!.id), eq(cardAttempts.applicationId, a!)));
    expect(card!.clockStartAt!.getTime()).toBe(row.bankMatchedAt!.getTime());
    expect(card!.productionDueAt!.getTime()).toBe(dueAfter(cal, row.bankMatchedAt!, 6, 'WORKING_DAYS').dueAt.getTime());
    // b was never matched, so it was not batched.
    expect((await application(b!)).status).toBe('APPROVED');
  });

  it('refuses a bad account number and leaves the application waiting', async () => {
    const [id] = await approvedApplications(h(), lc, 'ssc', 10, 1);
    const wrongDigit = bankAccount(3).slice(0, -1) + String((Number(bankAccount(3).slice(-1)) + 1) % 10);
    expectError(await match(lc.sessions.bank, id!, { decision: 'MATCHED', bankAccount: wrongDigit }), 400, 'BANK_ACCOUNT_INVALID');
    expectError(await match(lc.sessions.bank, id!, { decision: 'MATCHED', bankAccount: '411111111111' }), 400, 'BANK_ACCOUNT_INVALID');
    expectError(await match(lc.sessions.bank, id!, { decision: 'MATCHED' }), 400, 'BANK_ACCOUNT_INVALID');
    expectError(await match(lc.sessions.bank, id!, { decision: 'REJECTED' }), 400, 'BANK_REJECT_REASON_REQUIRED');
    expectError(await match(lc.sessions.bank, id!, { decision: 'MATCHED', bankAccount: bankAccount(3), extra: 1 }), 400, 'VALIDATION_FAILED');
    const row = await application(id!);
    expect(row).toMatchObject({ status: 'APPROVED', bankAccountEnc: null, bankMatchedAt: null });
  });

  it('only the chosen bank may see and decide: another bank, a permit and a clerk are refused', async () => {
    const [ssc] = await approvedApplications(h(), lc, 'ssc', 20, 1);
    const [rp] = await approvedApplications(h(), lc, 'rp', 21, 1);
    const other = await h().request('GET', '/api/v1/bank-matching', { session: parentBank });
    expect((other.json() as { items: { id: string }[] }).items.map((i) => i.id)).not.toContain(ssc);
    // An administrator oversees every bank below it.
    const admin = await h().request('GET', '/api/v1/bank-matching', { session: lc.sessions.admin });
    expect((admin.json() as { items: { id: string }[] }).items.map((i) => i.id)).toContain(ssc);
    expectError(await match(parentBank, ssc!, { decision: 'MATCHED', bankAccount: bankAccount(4) }), 404, 'OUT_OF_SCOPE');
    expectError(await match(lc.sessions.bank, rp!, { decision: 'MATCHED', bankAccount: bankAccount(4) }), 404, 'OUT_OF_SCOPE');
    expectError(await match(lc.sessions.clerkA, ssc!, { decision: 'MATCHED', bankAccount: bankAccount(4) }), 403, 'FORBIDDEN');
    expect((await application(ssc!)).status).toBe('APPROVED');
  });

  it('a rejection ends the application and tells the holder why', async () => {
    const [id] = await approvedApplications(h(), lc, 'ssc', 30, 1);
    const res = await match(lc.sessions.bank, id!, { decision: 'REJECTED', reason: '申请人已有本行社保卡账户' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'BANK_REJECTED', bankAccountMasked: null, changed: true });
    const notices = await h().ctx.db.orm.select().from(notificationOutbox).where(eq(notificationOutbox.applicationId, id!));
    expect(notices.map((n) => [n.kind, (n.payload as { reason: string }).reason])).toEqual([['BANK_REJECTED', '申请人已有本行社保卡账户']]);
    expect((await match(lc.sessions.bank, id!, { decision: 'REJECTED', reason: '申请人已有本行社保卡账户' })).json()).toMatchObject({ changed: false });
    expectError(await match(lc.sessions.bank, id!, { decision: 'MATCHED', bankAccount: bankAccount(5) }), 409, 'APPLICATION_STATE_INVALID');
  });

  it('an authority manager can reveal the matched account through the audited unmask', async () => {
    const [id] = await approvedApplications(h(), lc, 'ssc', 35, 1);
    expect((await match(lc.sessions.bank, id!, { decision: 'MATCHED', bankAccount: bankAccount(35) })).statusCode).toBe(200);
    const res = await h().request('POST', '/api/v1/pii/unmask', { session: lc.manager, body: { targetType: 'application', targetId: id, field: 'bankAccount', reason: '核对开户信息' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain(bankAccount(35));
  });
});

describe('bulk matching by a bank system', () => {
  let apiKey: string;
  beforeAll(async () => {
    const res = await h().request('POST', '/api/v1/api-keys', { session: lc.sessions.admin, body: { name: 'bank feed', orgId: lc.city.branch.id, roles: ['BANK_OPERATOR'] } });
    expect(res.statusCode, res.body).toBe(201);
    apiKey = (res.json() as { secret: string }).secret;
  });

  const numbers = async (ids: string[]) => Promise.all(ids.map(async (id) => (await application(id)).applicationNo));

  it('applies nothing when any row is bad, and lists every bad row', async () => {
    const ids = await approvedApplications(h(), lc, 'ssc', 40, 3);
    const [n1, n2, n3] = await numbers(ids);
    const res = await h().request('POST', '/api/v1/bank-matching', {
      apiKey,
      body: {
        items: [
          { applicationNo: n1, decision: 'MATCHED', bankAccount: bankAccount(41) },
          { applicationNo: n2, decision: 'MATCHED', bankAccount: '6222020000000000001' },
          { applicationNo: 'SC-20260101-999999', decision: 'MATCHED', bankAccount: bankAccount(43) },
          { applicationNo: n3, decision: 'REJECTED', reason: '' },
          { applicationNo: n1, decision: 'REJECTED', reason: '重复' },
        ],
      },
    });
    const error = expectError(res, 400, 'BANK_MATCH_IMPORT_INVALID');
    expect((error.details as { rows: unknown[] }).rows).toEqual([
      { row: 2, field: 'bankAccount', code: 'BANK_ACCOUNT_INVALID' },
      { row: 3, field: 'applicationNo', code: 'BANK_MATCH_APPLICATION_UNKNOWN' },
      { row: 4, field: 'reason', code: 'BANK_REJECT_REASON_REQUIRED' },
      { row: 5, field: 'applicationNo', code: 'BANK_MATCH_DUPLICATE_ROW' },
    ]);
    for (const id of ids) expect((await application(id)).status).toBe('APPROVED');
  });

  it('applies a good CSV file, and the same file again changes nothing', async () => {
    const ids = await approvedApplications(h(), lc, 'ssc', 50, 2);
    const [n1, n2] = await numbers(ids);
    const csv = `applicationNo,decision,bankAccount,reason\r\n${n1},MATCHED,${bankAccount(51)},\r\n${n2},REJECTED,,"证件信息与开户信息不符"\r\n`;
    const send = () => h().request('POST', '/api/v1/bank-matching', { apiKey, body: csv, headers: { 'content-type': 'text/csv' } });
    const first = await send();
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ applied: 2, unchanged: 0, matched: 1, rejected: 1 });
    expect((await application(ids[0]!)).status).toBe('MATCHED');
    expect((await application(ids[1]!)).status).toBe('BANK_REJECTED');
    const second = await send();
    expect(second.json()).toEqual({ applied: 0, unchanged: 2, matched: 0, rejected: 0 });
    expect(await h().ctx.db.orm.select().from(applicationEvents).where(eq(applicationEvents.applicationId, ids[0]!))).toHaveLength(3);
  });

  it('reports a bad CSV header and refuses other content types', async () => {
    const res = await h().request('POST', '/api/v1/bank-matching', { apiKey, body: 'applicationNo,account\r\nSC-1,1\r\n', headers: { 'content-type': 'text/csv' } });
    const error = expectError(res, 400, 'BANK_MATCH_IMPORT_INVALID');
    expect((error.details as { rows: unknown[] }).rows).toEqual([
      { row: 1, field: 'decision', code: 'CSV_HEADER_INVALID' },
      { row: 1, field: 'account', code: 'CSV_HEADER_INVALID' },
    ]);
    expectError(await h().request('POST', '/api/v1/bank-matching', { apiKey, body: { items: [] } }), 400, 'BANK_MATCH_EMPTY');
  });
});
