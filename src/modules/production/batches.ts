import { randomUUID } from 'node:crypto';
import { anyOf } from '../../platform/db/any-of.ts';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/engine.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { encryptBytes } from '../../platform/crypto/field-cipher.ts';
import { insertJson } from '../../platform/db/bulk.ts';
import { loadWorkingCalendar } from '../calendar/service.ts';
import { shanghaiDate } from '../calendar/zone.ts';
import { findOrg, orgsByIds } from '../orgs/service.ts';
import { getProgrammeRow, type ProgrammeRow } from '../programmes/service.ts';
import { lockWaitingForProduction, moveApplications, productionInputs } from '../applications/progress.ts';
import { insertCards, remakesDue, type CardActor } from '../cards/service.ts';
import { cardAttempts } from '../cards/schema.ts';
import { programmeProducers } from '../programmes/schema.ts';
import { batchRecords, productionBatches } from './schema.ts';
import { dueAfter, packingCompare, personalisationRecord, producerInRegion } from './rules.ts';

export type BatchRow = typeof productionBatches.$inferSelect;

export interface CreateBatchesInput {
  programmeId: string;
  producerOrgId: string;
  /** At most this many cards in total (default: everything waiting); each batch holds at most the programme's batch size. */
  maxCards?: number;
  ruleId?: string | null;
}


async function nextBatchNo(ctx: AppContext, tx: Tx, programme: ProgrammeRow, at: Date): Promise<string> {
  const [row] = await ctx.db.rows<{ n: number }>(tx, sql`select nextval('batch_no_seq')::int as n`);
  const prefix = programme.kind === 'RESIDENCE_PERMIT' ? 'RPB' : 'SCB';
  return `${prefix}-${shanghaiDate(at).replace(/-/g, '')}-${String(row!.n).padStart(5, '0')}`;
}

/**
 * Orders production: takes the programme's waiting applications (and remakes owed by this producer),
 * splits them into batches of at most the programme's batch size, sorts each in the packing order,
 * creates one ORDERED card attempt per application with its SLA clock and the sealed personalisation
 * record, and moves the applications to IN_PRODUCTION, all in one transaction. A producer whose site
 * lies outside the programme's region is refused (PRODUCER_OUT_OF_REGION).
 */
export async function createBatches(ctx: AppContext, principal: Principal, input: CreateBatchesInput): Promise<BatchRow[]> {
  const programme = await getProgrammeRow(ctx, principal, input.programmeId);
  const [member] = await ctx.db.orm
    .select()
    .from(programmeProducers)
    .where(and(eq(programmeProducers.programmeId, programme.id), eq(programmeProducers.orgId, input.producerOrgId)));
  const producer = member ? await findOrg(ctx, input.producerOrgId) : null;
  if (!producer) throw new AppError('BATCH_PRODUCER_INVALID');
  if (!producerInRegion(producer.regionCode, programme.productionRegionPrefix)) {
    throw new AppError('PRODUCER_OUT_OF_REGION', { params: { region: producer.regionCode ?? '—', prefix: programme.productionRegionPrefix } });
  }
  const authority = await findOrg(ctx, programme.authorityOrgId);
  const cal = await loadWorkingCalendar(ctx);
  const limit = Math.min(input.maxCards ?? 1_000_000, 1_000_000);
  const actor: CardActor = { type: principal.type, id: principal.id, name: principal.name, orgId: principal.orgId };

  return ctx.db.orm.transaction(async (tx) => {
    const at = new Date();
    const remakes = await remakesDue(ctx, tx, programme.id, producer.id, limit);
    const remakeQueue = [...remakes.keys()];
    const batches: BatchRow[] = [];
    // One batch at a time, so memory holds one batch's data however many applications wait.
    for (let taken = 0; taken < limit; ) {
      const room = Math.min(programme.batchSizeLimit, limit - taken);
      const fromRemakes = remakeQueue.splice(0, room);
      const fresh = fromRemakes.length < room ? await lockWaitingForProduction(tx, programme.id, programme.kind, room - fromRemakes.length) : [];
      const ids = [...fromRemakes, ...fresh];
      if (ids.length === 0) break;
      taken += ids.length;
      const previous = new Map<string, number>();
      for (let i = 0; i < fresh.length; i += 5000) {
        const rows = await tx
          .select({ applicationId: cardAttempts.applicationId, n: sql<number>`max(${cardAttempts.attemptNo})`.mapWith(Number) })
          .from(cardAttempts)
          .where(anyOf(cardAttempts.applicationId, fresh.slice(i, i + 5000)))
          .groupBy(cardAttempts.applicationId);
        for (const r of rows) previous.set(r.applicationId, r.n);
      }
      const inputs = await productionInputs(ctx, tx, ids);
      const receivers = await orgsByIds(ctx, [...inputs.values()].map((a) => (programme.kind === 'SOCIAL_SECURITY_CARD' ? a.bankOrgId! : a.outletOrgId)), tx);
      const outlets = await orgsByIds(ctx, [...inputs.values()].map((a) => a.outletOrgId), tx);
      const slice = ids.map((id) => {
        const a = inputs.get(id)!;
        const receiverOrgId = programme.kind === 'SOCIAL_SECURITY_CARD' ? a.bankOrgId! : a.outletOrgId;
        return { a, receiverOrgId, receiverName: receivers.get(receiverOrgId)?.name ?? '', citizenId: a.citizenId, applicationNo: a.applicationNo, remake: remakes.has(id) };
      });
      slice.sort(packingCompare(programme.packingOrder));
      const cards = slice.map((it, i) => {
        // Social security cards: the 6-working-day clock starts when the bank matched the account; a remake or a permit starts now.
        const clockStartAt = programme.kind === 'SOCIAL_SECURITY_CARD' && !it.remake && it.a.bankMatchedAt ? it.a.bankMatchedAt : at;
        const production = dueAfter(cal, clockStartAt, programme.productionDeadlineAmount, programme.productionDeadlineUnit);
        const delivery =
          programme.deliveryDeadlineAmount !== null && programme.deliveryDeadlineUnit !== null
            ? dueAfter(cal, clockStartAt, programme.deliveryDeadlineAmount, programme.deliveryDeadlineUnit)
            : null;
        return { it, seq: i + 1, clockStartAt, productionDueAt: production.dueAt, deliveryDueAt: delivery?.dueAt ?? null };
      });
      const productionDueAt = new Date(cards.reduce((m, c) => Math.min(m, c.productionDueAt.getTime()), Infinity));
      const deliveryDue = cards.reduce((m, c) => (c.deliveryDueAt ? Math.min(m, c.deliveryDueAt.getTime()) : m), Infinity);
      const [batch] = await tx
        .insert(productionBatches)
        .values({
          batchNo: await nextBatchNo(ctx, tx, programme, at),
          programmeId: programme.id,
          producerOrgId: producer.id,
          status: 'OPEN',
          cardCount: slice.length,
          createdBy: principal.name,
          ruleId: input.ruleId ?? null,
          createdAt: at,
          dataReleasedAt: at,
          productionDueAt,
          deliveryDueAt: Number.isFinite(deliveryDue) ? new Date(deliveryDue) : null,
        })
        .returning();
      // Card ids are made here so each record (which names its card) and its SM3 go in with the card.
      const planned = cards.map((c) => {
        const a = c.it.a;
        const id = randomUUID();
        const rec = personalisationRecord({
          cardId: id,
          applicationNo: a.applicationNo,
          kind: programme.kind,
          name: a.name,
          sex: a.sex,
          ethnicity: a.ethnicity,
          birthDate: a.birthDate,
          citizenId: a.citizenId,
          hukouAddress: a.hukouAddress,
          residenceAddress: a.residenceAddress,
          regionCode: outlets.get(a.outletOrgId)?.regionCode ?? null,
          issuingAuthority: authority?.name ?? '',
          issueDate: shanghaiDate(at),
          receiverName: receivers.get(c.it.receiverOrgId)?.name ?? '',
          bankName: programme.kind === 'SOCIAL_SECURITY_CARD' ? (receivers.get(c.it.receiverOrgId)?.name ?? null) : null,
          bankAccount: a.bankAccount,
          photoSm3: a.photoSm3,
        });
        return { c, id, rec };
      });
      await insertCards(
        ctx,
        tx,
        actor,
        planned.map(({ c, id, rec }) => ({
          id,
          applicationId: c.it.a.id,
          programmeId: programme.id,
          cardKind: programme.kind,
          attemptNo: remakes.get(c.it.a.id) ?? (previous.get(c.it.a.id) ?? 0) + 1,
          mode: 'BATCH' as const,
          batchId: batch!.id,
          packingSeq: c.seq,
          producerOrgId: producer.id,
          receiverOrgId: c.it.receiverOrgId,
          status: 'ORDERED' as const,
          recordSm3: rec.sm3,
          photoSm3: c.it.a.photoSm3,
          clockStartAt: c.clockStartAt,
          productionDueAt: c.productionDueAt,
          deliveryDueAt: c.deliveryDueAt,
        })),
        'ORDER',
        at,
      );
      for (let i = 0; i < planned.length; i += 1000) {
        await insertJson(
          ctx.db,
          tx,
          batchRecords,
          planned.slice(i, i + 1000).map(({ id, rec }) => ({ cardId: id, batchId: batch!.id, recordEnc: encryptBytes(ctx.keyring, Buffer.from(rec.line, 'utf8')) })),
        );
      }
      // The sealed photos are copied inside the database: carrying 20 KB blobs through this process and
      // back would cost more than everything else in the batch. The copy is what the producer receives.
      await ctx.db.rows(
        tx,
        sql`update batch_records r set photo_enc = p.photo_enc
              from card_attempts c join application_photos p on p.application_id = c.application_id
             where r.batch_id = ${batch!.id}::uuid and c.id = r.card_id`,
      );
      await moveApplications(
        ctx,
        tx,
        actor,
        slice
          .filter((it) => !it.remake)
          .map((it) => ({
            applicationId: it.a.id,
            action: 'START_PRODUCTION' as const,
            idempotencyKey: `${it.a.id}:IN_PRODUCTION:${batch!.id}`,
            details: { batchNo: batch!.batchNo },
          })),
        at,
      );
      batches.push(batch!);
    }
    if (batches.length === 0) throw new AppError('BATCH_NOTHING_WAITING');
    return batches;
  });
}

export async function batchCardIds(ctx: AppContext, batchId: string): Promise<string[]> {
  const rows = await ctx.db.orm.select({ id: cardAttempts.id }).from(cardAttempts).where(eq(cardAttempts.batchId, batchId)).orderBy(asc(cardAttempts.packingSeq));
  return rows.map((r) => r.id);
}
