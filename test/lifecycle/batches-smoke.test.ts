import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { cardAttempts, cardEvents } from '../../src/modules/cards/schema.ts';
import { applications } from '../../src/modules/applications/schema.ts';
import { batchRecords } from '../../src/modules/production/schema.ts';
import { useHarness } from '../helpers/app.ts';
import { approvedApplications, batchAll, seedLifecycle, type Lifecycle } from './fixtures.ts';

const h = useHarness();
let lc: Lifecycle;

beforeAll(async () => {
  lc = await seedLifecycle(h());
});

describe('ordering production', () => {
  it('turns approved permits into ORDERED cards with records, due times and events', async () => {
    const ids = await approvedApplications(h(), lc, 'rp', 1, 3);
    const [batch] = await batchAll(h(), lc, lc.rp.id);
    expect(batch!.cardCount).toBe(3);
    const cards = await h().ctx.db.orm.select().from(cardAttempts).where(eq(cardAttempts.batchId, batch!.id));
    expect(cards.map((c) => c.status)).toEqual(['ORDERED', 'ORDERED', 'ORDERED']);
    expect(cards.every((c) => /^[0-9a-f]{64}$/.test(c.recordSm3 ?? ''))).toBe(true);
    // 5 calendar days for permits: due at the end of the fifth day after the data was released.
    const days = (batch!.productionDueAt.getTime() - batch!.dataReleasedAt.getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(5);
    expect(days).toBeLessThanOrEqual(6);
    expect(await h().ctx.db.orm.select().from(batchRecords).where(eq(batchRecords.batchId, batch!.id))).toHaveLength(3);
    const apps = await h().ctx.db.orm.select({ status: applications.status }).from(applications).where(eq(applications.id, ids[0]!));
    expect(apps[0]!.status).toBe('IN_PRODUCTION');
    const events = await h().ctx.db.orm.select().from(cardEvents).where(eq(cardEvents.cardId, cards[0]!.id));
    expect(events.map((e) => e.toStatus)).toEqual(['ORDERED']);

    const detail = await h().request('GET', `/api/v1/applications/${ids[0]}`, { session: lc.sessions.clerkA });
    expect(detail.statusCode, detail.body).toBe(200);
    expect((detail.json() as { cards: unknown[] }).cards).toEqual([expect.objectContaining({ attemptNo: 1, status: 'ORDERED', batchNo: batch!.batchNo, cardNo: null, shipmentNo: null })]);
  });
});
