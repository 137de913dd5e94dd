import { expect } from 'vitest';
import { lockCards, applyCardChanges, type CardPatch, type CardRow } from '../../src/modules/cards/service.ts';
import type { CardAction } from '../../src/modules/cards/states.ts';
import { shipments } from '../../src/modules/logistics/schema.ts';
import type { Harness } from '../helpers/app.ts';
import type { Lifecycle } from '../lifecycle/fixtures.ts';

const SYSTEM = { type: 'SYSTEM', id: null, name: 'test', orgId: null };

/** Applies one action to each card (in one transaction), with the patch the caller gives per card. */
export async function moveCards(h: Harness, ids: string[], action: CardAction, at: Date, set: (card: CardRow, i: number) => CardPatch = () => ({}), orgId: string | null = null): Promise<CardRow[]> {
  return h.ctx.db.orm.transaction(async (tx) => {
    const cards = await lockCards(tx, ids);
    const byId = new Map(cards.map((c) => [c.id, c]));
    await applyCardChanges(
      h.ctx,
      tx,
      { ...SYSTEM, orgId },
      ids.map((id, i) => ({ card: byId.get(id)!, action, set: set(byId.get(id)!, i), idempotencyKey: `${id}:${action}:${at.toISOString()}` })),
      at,
    );
    const after = new Map((await lockCards(tx, ids)).map((c) => [c.id, c]));
    return ids.map((id) => after.get(id)!);
  });
}

let cardCounter = 0;

/** PRODUCE with a fresh card number and chip UID. */
export function produce(h: Harness, ids: string[], at: Date, producerOrgId: string): Promise<CardRow[]> {
  return moveCards(h, ids, 'PRODUCE', at, () => ({ cardNo: `C${String(++cardCounter).padStart(9, '0')}`, chipUid: `U${cardCounter}`, producedAt: at }), producerOrgId);
}

/** A shipment row (the logistics module's own service is not needed to move cards for a report) and SHIP. */
export async function ship(h: Harness, lc: Lifecycle, programmeId: string, cards: CardRow[], at: Date): Promise<void> {
  const [s] = await h.ctx.db.orm
    .insert(shipments)
    .values({
      shipmentNo: `S-${at.getTime()}-${cards[0]!.id.slice(0, 6)}`,
      programmeId,
      producerOrgId: lc.city.producer.id,
      receiverOrgId: cards[0]!.receiverOrgId,
      status: 'SHIPPED',
      cardCount: cards.length,
      shippedAt: at,
      shippedBy: 'test',
    })
    .returning();
  await moveCards(h, cards.map((c) => c.id), 'SHIP', at, () => ({ shipmentId: s!.id, shippedAt: at }), lc.city.producer.id);
}

/** A 16-digit account number with a valid Luhn check digit. */
export function bankAccount(n: number): string {
  const body = `622202${String(n).padStart(9, '0')}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** The partner bank matches approved social security card applications (so they can go into production). */
export async function bankMatch(h: Harness, lc: Lifecycle, ids: string[]): Promise<void> {
  for (const [i, id] of ids.entries()) {
    const res = await h.request('POST', `/api/v1/applications/${id}/bank-match`, { session: lc.sessions.bank, body: { decision: 'MATCHED', bankAccount: bankAccount(i + 1) } });
    expect(res.statusCode, res.body).toBe(200);
  }
}

/** An API key of the given roles at the city authority, as the population system would hold. */
export async function apiKeyFor(h: Harness, lc: Lifecycle, roles: string[]): Promise<string> {
  const res = await h.request('POST', '/api/v1/api-keys', { session: lc.sessions.admin, body: { name: `population ${roles.join(',')}`, orgId: lc.city.city.id, roles } });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { secret: string }).secret;
}
