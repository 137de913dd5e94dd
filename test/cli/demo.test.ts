import { beforeAll, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { applications } from '../../src/modules/applications/schema.ts';
import { cardAttempts } from '../../src/modules/cards/schema.ts';
import { productionBatches } from '../../src/modules/production/schema.ts';
import { discrepancies } from '../../src/modules/logistics/schema.ts';
import { databaseIsEmpty, runDemo, DEMO_PASSWORD } from '../../src/cli/demo.ts';
import { verifyAuditChain } from '../../src/platform/audit/service.ts';
import { useHarness } from '../helpers/app.ts';

const h = useHarness();
let summary: Awaited<ReturnType<typeof runDemo>>;

beforeAll(async () => {
  expect(await databaseIsEmpty(h().ctx)).toBe(true);
  summary = await runDemo(h().ctx, { seed: 7 });
}, 180_000);

describe('cardflow demo', () => {
  it('fills the database with applications in every state of both programmes', async () => {
    expect(await databaseIsEmpty(h().ctx)).toBe(false);
    const rows = await h().ctx.db.orm.select({ kind: applications.cardKind, status: applications.status, n: count() }).from(applications).groupBy(applications.cardKind, applications.status);
    const statuses = (kind: string) => new Set(rows.filter((r) => r.kind === kind).map((r) => r.status));
    expect([...statuses('RESIDENCE_PERMIT')].sort()).toEqual(['APPROVED', 'ENDORSED', 'IN_PRODUCTION', 'ISSUED', 'READY', 'REJECTED', 'SUBMITTED']);
    expect([...statuses('SOCIAL_SECURITY_CARD')].sort()).toEqual(['APPROVED', 'BANK_REJECTED', 'IN_PRODUCTION', 'ISSUED', 'MATCHED', 'READY', 'SUBMITTED']);
    expect(rows.reduce((s, r) => s + r.n, 0)).toBe(summary.applications);
  });

  it('has cards in every stage, a remake owed, discrepancies and batches open and completed', async () => {
    const cards = new Set((await h().ctx.db.orm.select({ status: cardAttempts.status }).from(cardAttempts)).map((c) => c.status));
    for (const s of ['ORDERED', 'PRODUCED', 'WASTED', 'SHIPPED', 'RECEIVED', 'DAMAGED', 'ISSUED', 'LOST_TEMP'] as const) expect(cards, s).toContain(s);
    const batches = new Set((await h().ctx.db.orm.select({ status: productionBatches.status }).from(productionBatches)).map((b) => b.status));
    expect([...batches].sort()).toEqual(['COMPLETED', 'OPEN']);
    const kinds = new Set((await h().ctx.db.orm.select({ kind: discrepancies.kind }).from(discrepancies)).map((d) => d.kind));
    expect([...kinds].sort()).toEqual(['DAMAGED', 'MISSING']);
  });

  it('made every change through the audited services and lists users who can sign in', async () => {
    expect((await verifyAuditChain(h().ctx)).ok).toBe(true);
    expect(summary.users.map((u) => u.username)).toEqual(expect.arrayContaining(['police_manager', 'producer', 'bank_wujin', 'clerk1']));
    const res = await h().request('POST', '/api/v1/auth/login', { body: { username: 'clerk1', password: DEMO_PASSWORD } });
    expect(res.statusCode).toBe(200);
  });

  it('drafts this quarter of the residence-permit production contract from the cards it made: 10.85 a card, producer waste left out', async () => {
    const session = await h().login('police_manager', DEMO_PASSWORD);
    const list = await h().request('GET', '/api/v1/settlement/statements', { session });
    expect(list.statusCode, list.body).toBe(200);
    const items = (list.json() as { items: { id: string; status: string }[] }).items;
    expect(items).toHaveLength(1);
    const res = await h().request('GET', `/api/v1/settlement/statements/${items[0]!.id}`, { session });
    const body = res.json() as { status: string; statement: { lines: { item: string; count: number; amount: number }[]; excluded: { reason: string }[] } };
    expect(body.status).toBe('DRAFT');
    const [line] = body.statement.lines;
    expect(line!.item).toBe('PERMIT_CARD');
    expect(line!.count).toBeGreaterThan(20);
    // Amounts are stored in fen: 1,085 fen a card, exactly.
    expect(line!.amount).toBe(line!.count * 1085);
    expect(body.statement.excluded.map((e) => e.reason)).toContain('PRODUCER_WASTE');
  });
});
