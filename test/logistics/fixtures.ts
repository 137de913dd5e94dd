import { and, eq, inArray, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { applications } from '../../src/modules/applications/schema.ts';
import { cardAttempts } from '../../src/modules/cards/schema.ts';
import { applyCardChanges, lockCards, type CardRow } from '../../src/modules/cards/service.ts';
import { encryptField } from '../../src/platform/crypto/field-cipher.ts';
import type { Harness, Session } from '../helpers/app.ts';
import { applicant, photoBase64 } from '../applications/fixtures.ts';
import { fakeJpeg } from '../helpers/jpeg.ts';
import { approvedApplications, batchAll, type Lifecycle } from '../lifecycle/fixtures.ts';

let nextCardNo = 1;

/** Card numbers as producers print them: 'A' and 8 digits, unique within a test file. */
export function cardNo(): string {
  return `A${String(nextCardNo++).padStart(8, '0')}`;
}

/** Sets approved social security card applications MATCHED as the partner bank would. */
export async function matchApplications(h: Harness, ids: string[]) {
  await h.ctx.db.orm
    .update(applications)
    .set({ status: 'MATCHED', bankAccountEnc: encryptField(h.ctx.keyring, '6222021234567890123'), bankAccountMasked: '***************0123', bankMatchedAt: new Date() })
    .where(inArray(applications.id, ids));
}

/** Reports every ORDERED card of the given applications PRODUCED, as the producer would. */
export async function produceCards(h: Harness, applicationIds: string[]): Promise<CardRow[]> {
  const ordered = await h.ctx.db.orm
    .select({ id: cardAttempts.id })
    .from(cardAttempts)
    .where(and(inArray(cardAttempts.applicationId, applicationIds), eq(cardAttempts.status, 'ORDERED')));
  return h.ctx.db.orm.transaction(async (tx) => {
    const cards = await lockCards(
      tx,
      ordered.map((c) => c.id),
    );
    const at = new Date();
    await applyCardChanges(
      h.ctx,
      tx,
      { type: 'SYSTEM', id: null, name: 'test producer', orgId: cards[0]?.producerOrgId ?? null },
      cards.map((card) => ({ card, action: 'PRODUCE', set: { cardNo: cardNo(), chipUid: '04A1B2C3D4E5F6', producedAt: at }, idempotencyKey: `${card.id}:PRODUCE` })),
      at,
    );
    return lockCards(
      tx,
      cards.map((c) => c.id),
    );
  });
}

/** Approved (and for social security cards matched) applications, batched and produced: their live cards by application. */
export async function producedCards(h: Harness, lc: Lifecycle, programme: 'rp' | 'ssc', first: number, n: number) {
  const ids = await approvedApplications(h, lc, programme, first, n);
  if (programme === 'ssc') await matchApplications(h, ids);
  await batchAll(h, lc, programme === 'rp' ? lc.rp.id : lc.ssc.id);
  const cards = await produceCards(h, ids);
  return ids.map((id) => cards.find((c) => c.applicationId === id)!);
}

export async function cardById(h: Harness, id: string): Promise<CardRow> {
  const [row] = await h.ctx.db.orm.select().from(cardAttempts).where(eq(cardAttempts.id, id));
  return row!;
}

export async function applicationStatus(h: Harness, id: string): Promise<string> {
  const [row] = await h.ctx.db.orm.select({ status: applications.status }).from(applications).where(eq(applications.id, id));
  return row!.status;
}

/** Ships cards through the API and answers the shipment id. */
export async function ship(h: Harness, producer: Session, receiverOrgId: string, cardIds: string[]): Promise<string> {
  const res = await h.request('POST', '/api/v1/shipments', { session: producer, body: { receiverOrgId, cardIds } });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

/** Scans every card and confirms receipt through the API. */
export async function receiveAll(h: Harness, receiver: Session, shipmentId: string, cardNos: string[]) {
  for (const no of cardNos) {
    const res = await h.request('POST', `/api/v1/shipments/${shipmentId}/scans`, { session: receiver, body: { cardNo: no } });
    expect(res.statusCode, res.body).toBe(200);
  }
  const res = await h.request('POST', `/api/v1/shipments/${shipmentId}/confirm`, { session: receiver, body: {} });
  expect(res.statusCode, res.body).toBe(200);
}

/** A prefabricated social security card application, approved and matched, at outlet A for the bank branch. */
export async function prefabricatedApplication(h: Harness, lc: Lifecycle, n: number): Promise<string> {
  const body = { programmeId: lc.ssc.id, ...applicant(n, { kind: 'PREFABRICATED', basis: null, bankOrgId: lc.city.branch.id }), photoJpegBase64: photoBase64(fakeJpeg(358, 441, 20 * 1024)) };
  const res = await h.request('POST', '/api/v1/applications', { session: lc.sessions.clerkA, body });
  expect(res.statusCode, res.body).toBe(201);
  const id = (res.json() as { id: string }).id;
  const ok = await h.request('POST', `/api/v1/applications/${id}/approve`, { session: lc.sessions.reviewer, body: {} });
  expect(ok.statusCode, ok.body).toBe(200);
  await matchApplications(h, [id]);
  return id;
}

export async function countWhere(h: Harness, query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await h.ctx.db.rows<{ n: number }>(null, query);
  return Number(row?.n ?? 0);
}
