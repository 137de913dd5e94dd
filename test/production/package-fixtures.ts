import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Harness } from '../helpers/app.ts';
import type { Lifecycle } from '../lifecycle/fixtures.ts';
import { approvedApplications, principalOf } from '../lifecycle/fixtures.ts';
import { createBatches } from '../../src/modules/production/batches.ts';
import { applyCardChanges, lockCards } from '../../src/modules/cards/service.ts';
import { cardAttempts } from '../../src/modules/cards/schema.ts';
import { productionBatches } from '../../src/modules/production/schema.ts';

/** `n` approved permits (people numbered from `first`) batched for the seeded producer; returns the one batch. */
export async function permitBatch(h: Harness, lc: Lifecycle, first: number, n: number) {
  await approvedApplications(h, lc, 'rp', first, n);
  const manager = await principalOf(h, lc.city.usernames.AUTHORITY_MANAGER);
  const [batch] = await createBatches(h.ctx, manager, { programmeId: lc.rp.id, producerOrgId: lc.city.producer.id });
  return batch!;
}

/** The producer creates an SM4 package key through the API; answers the secret in hex. */
export async function sm4Key(h: Harness, lc: Lifecycle): Promise<string> {
  const res = await h.request('POST', '/api/v1/package-keys', { session: lc.sessions.producer, body: { kind: 'SM4' } });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { secretHex: string }).secretHex;
}

export async function link(h: Harness, lc: Lifecycle, batchId: string, body: Record<string, unknown> = {}) {
  const res = await h.request('POST', `/api/v1/batches/${batchId}/package-links`, { session: lc.sessions.producer, body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { token: string; url: string; expiresAt: string; maxDownloads: number };
}

/** Downloads a package as the producer; answers the raw bytes. */
export async function download(h: Harness, lc: Lifecycle, batchId: string): Promise<Buffer> {
  const { url } = await link(h, lc, batchId);
  const res = await h.request('GET', url, { session: lc.sessions.producer });
  expect(res.statusCode, res.body).toBe(200);
  return res.rawPayload;
}

/**
 * What the results module does when a batch is finished: every card PRODUCED, the batch COMPLETED
 * with its destruction time. Done here directly so these tests do not depend on that module.
 */
export async function completeBatch(h: Harness, batchId: string, completedAt: Date, destroyAfter: Date) {
  const ctx = h.ctx;
  await ctx.db.orm.transaction(async (tx) => {
    const ids = (await tx.select({ id: cardAttempts.id }).from(cardAttempts).where(eq(cardAttempts.batchId, batchId))).map((r) => r.id);
    const cards = await lockCards(tx, ids);
    await applyCardChanges(
      ctx,
      tx,
      { type: 'SYSTEM', id: 'test', name: 'test', orgId: null },
      cards.map((c, i) => ({ card: c, action: 'PRODUCE' as const, set: { cardNo: `T${String(i).padStart(8, '0')}`, producedAt: completedAt }, idempotencyKey: `${c.id}:PRODUCED:test` })),
      completedAt,
    );
    await tx.update(productionBatches).set({ status: 'COMPLETED', completedAt, destroyAfter }).where(eq(productionBatches.id, batchId));
  });
}
