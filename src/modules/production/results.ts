import { and, asc, eq, inArray } from 'drizzle-orm';
import { anyOf } from '../../platform/db/any-of.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable, Tx } from '../../platform/db/engine.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { csvField } from '../applications/csv.ts';
import { applicationNumbers, moveApplications, type ApplicationMove } from '../applications/progress.ts';
import { cardAttempts } from '../cards/schema.ts';
import { applyCardChanges, lockCards, type CardActor, type CardChange } from '../cards/service.ts';
import { checkResultRow, compareResult, RESULT_COLUMNS, sameResult, type FieldProblem, type ResultItem } from '../cards/rules.ts';
import { orgIdsInScope } from '../orgs/service.ts';
import { getProgrammeRow } from '../programmes/service.ts';
import { productionBatches } from './schema.ts';

/**
 * Production results (issue 3 step 6): the producer reports each ordered card as PRODUCED (card
 * number, chip UID and the SM3 of the data written to the chip, which must equal the digest of the
 * ordered record) or WASTED (reason, and whose fault). Reports are all or nothing and idempotent; an
 * authority-data waste sends the application back to review, a producer waste is remade in the
 * producer's next batch (remakesDue), and a batch with no ORDERED card left is COMPLETED.
 */

export type BatchRow = typeof productionBatches.$inferSelect;

export interface ResultRowProblem extends FieldProblem {
  row: number;
}

/** The batch if the principal is its producer (or an authority above the producer); else the answer for a missing one. */
export async function batchForProducer(ctx: AppContext, principal: Principal, q: Queryable, batchId: string, lock = false): Promise<BatchRow> {
  const scope = principal.scope === 'subtree' ? inArray(productionBatches.producerOrgId, orgIdsInScope(ctx, principal, q)) : eq(productionBatches.producerOrgId, principal.orgId);
  const query = q.select().from(productionBatches).where(and(eq(productionBatches.id, batchId), scope));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('OUT_OF_SCOPE');
  return row;
}

/** The CSV a producer fills in: the header, then one row per card still ORDERED, in packing order. */
export async function resultsTemplate(ctx: AppContext, principal: Principal, batchId: string): Promise<{ batchNo: string; csv: string }> {
  const batch = await batchForProducer(ctx, principal, ctx.db.orm, batchId);
  const cards = await ctx.db.orm
    .select({ id: cardAttempts.id, packingSeq: cardAttempts.packingSeq, applicationId: cardAttempts.applicationId })
    .from(cardAttempts)
    .where(and(eq(cardAttempts.batchId, batch.id), eq(cardAttempts.status, 'ORDERED')))
    .orderBy(asc(cardAttempts.packingSeq));
  const numbers = await applicationNumbers(
    ctx.db.orm,
    cards.map((c) => c.applicationId),
  );
  const header = [...RESULT_COLUMNS, 'packingSeq', 'applicationNo'];
  const lines = [header.join(',')];
  for (const c of cards) lines.push([c.id, '', '', '', '', '', '', String(c.packingSeq ?? ''), csvField(numbers.get(c.applicationId) ?? '')].join(','));
  return { batchNo: batch.batchNo, csv: `${lines.join('\r\n')}\r\n` };
}

export interface BatchCard {
  id: string;
  applicationId: string;
  packingSeq: number | null;
  status: string;
  cardNo: string | null;
  chipUid: string | null;
  wasteCause: string | null;
  wasteReason: string | null;
  recordSm3: string | null;
}

async function batchCards(tx: Tx, batchId: string): Promise<BatchCard[]> {
  return tx
    .select({
      id: cardAttempts.id,
      applicationId: cardAttempts.applicationId,
      packingSeq: cardAttempts.packingSeq,
      status: cardAttempts.status,
      cardNo: cardAttempts.cardNo,
      chipUid: cardAttempts.chipUid,
      wasteCause: cardAttempts.wasteCause,
      wasteReason: cardAttempts.wasteReason,
      recordSm3: cardAttempts.recordSm3,
    })
    .from(cardAttempts)
    .where(eq(cardAttempts.batchId, batchId));
}

/**
 * Checks parsed result rows against the batch's cards, in memory: each row must name a card of the
 * batch, a card may appear twice only with the same result, a produced card's chip digest must be the
 * ordered record's, a card number may not be given to two cards, and a card already reported must
 * carry this very result (a retry) or it is a conflict. Problems are added to `problems`.
 */
export function planResults(cards: BatchCard[], parsed: { row: number; item: ResultItem }[], problems: ResultRowProblem[]): { toApply: PlannedResult[]; unchanged: number } {
  const byId = new Map(cards.map((c) => [c.id, c]));
  const bySeq = new Map(cards.map((c) => [c.packingSeq, c]));
  const firstFor = new Map<string, ResultItem>();
  const fileCardNo = new Map<string, string>();
  const toApply: PlannedResult[] = [];
  let unchanged = 0;
  for (const { row, item } of parsed) {
    const card = 'cardId' in item.ref ? byId.get(item.ref.cardId) : bySeq.get(item.ref.packingSeq);
    if (!card) {
      problems.push({ row, field: 'cardId' in item.ref ? 'cardId' : 'packingSeq', code: 'RESULT_CARD_NOT_IN_BATCH' });
      continue;
    }
    const earlier = firstFor.get(card.id);
    if (earlier) {
      if (!sameResult(earlier, item)) problems.push({ row, field: 'outcome', code: 'RESULT_CONFLICT' });
      else unchanged++;
      continue;
    }
    firstFor.set(card.id, item);
    if (item.outcome === 'PRODUCED') {
      if (card.recordSm3 !== item.chipDataSm3) {
        problems.push({ row, field: 'chipDataSm3', code: 'CHIP_DATA_MISMATCH' });
        continue;
      }
      const holder = fileCardNo.get(item.cardNo);
      if (holder !== undefined && holder !== card.id) {
        problems.push({ row, field: 'cardNo', code: 'CARD_NO_DUPLICATE' });
        continue;
      }
      fileCardNo.set(item.cardNo, card.id);
    }
    const verdict = compareResult(card, item);
    if (verdict === 'conflict') problems.push({ row, field: 'outcome', code: 'RESULT_CONFLICT' });
    else if (verdict === 'unchanged') unchanged++;
    else toApply.push({ row, card, item });
  }
  return { toApply, unchanged };
}

/** Card numbers of the programme already held by another card than the one reporting them. */
async function cardNumbersInUse(tx: Tx, programmeId: string, wanted: { cardNo: string; cardId: string }[]): Promise<Set<string>> {
  const taken = new Set<string>();
  const owner = new Map(wanted.map((w) => [w.cardNo, w.cardId]));
  const numbers = [...owner.keys()];
  for (let i = 0; i < numbers.length; i += 5000) {
    const rows = await tx
      .select({ id: cardAttempts.id, cardNo: cardAttempts.cardNo })
      .from(cardAttempts)
      .where(and(eq(cardAttempts.programmeId, programmeId), anyOf(cardAttempts.cardNo, numbers.slice(i, i + 5000))));
    for (const r of rows) if (r.cardNo && owner.get(r.cardNo) !== r.id) taken.add(r.cardNo);
  }
  return taken;
}

export interface PlannedResult {
  row: number;
  card: BatchCard;
  item: ResultItem;
}

export interface ResultsOutcome {
  batchId: string;
  batchNo: string;
  applied: number;
  unchanged: number;
  produced: number;
  wasted: number;
  returnedToReview: number;
  remaining: number;
  batchStatus: string;
}

/**
 * Applies a producer's results for one batch, all or nothing. Every row is checked in memory against
 * the batch's cards (loaded once) before anything is written; every bad row is reported with its
 * field and code (RESULTS_INVALID). Then the cards change in bulk (applyCardChanges), applications of
 * authority-data waste go back to review, and the batch is COMPLETED when nothing is ORDERED any more
 * — all in one transaction, so a 10,000-row report is a handful of statements.
 */
export async function reportResults(
  ctx: AppContext,
  principal: Principal,
  batchId: string,
  rows: { row: number; record: Record<string, unknown> }[],
  preProblems: ResultRowProblem[] = [],
): Promise<ResultsOutcome> {
  if (rows.length === 0 && preProblems.length === 0) throw new AppError('RESULTS_EMPTY');
  const problems: ResultRowProblem[] = [...preProblems];
  const parsed: { row: number; item: ResultItem }[] = [];
  for (const { row, record } of rows) {
    const { item, problems: found } = checkResultRow(record);
    problems.push(...found.map((p) => ({ row, ...p })));
    if (item) parsed.push({ row, item });
  }
  const actor: CardActor = { type: principal.type, id: principal.id, name: principal.name, orgId: principal.orgId };

  return ctx.db.orm.transaction(async (tx) => {
    // Locking the batch serialises two reports for it, so completion is decided once.
    const batch = await batchForProducer(ctx, principal, tx, batchId, true);
    const cards = await batchCards(tx, batch.id);

    const { toApply, unchanged } = planResults(cards, parsed, problems);
    const taken = await cardNumbersInUse(
      tx,
      batch.programmeId,
      toApply.flatMap((t) => (t.item.outcome === 'PRODUCED' ? [{ cardNo: t.item.cardNo, cardId: t.card.id }] : [])),
    );
    for (const t of toApply) if (t.item.outcome === 'PRODUCED' && taken.has(t.item.cardNo)) problems.push({ row: t.row, field: 'cardNo', code: 'CARD_NO_DUPLICATE' });
    if (problems.length) {
      problems.sort((a, b) => a.row - b.row || a.field.localeCompare(b.field));
      throw new AppError('RESULTS_INVALID', { params: { count: problems.length }, details: { rows: problems } });
    }

    const at = new Date();
    const locked = new Map((await lockCards(tx, toApply.map((t) => t.card.id))).map((c) => [c.id, c]));
    const changes: CardChange[] = toApply.map(({ card, item }) => ({
      card: locked.get(card.id)!,
      action: item.outcome === 'PRODUCED' ? 'PRODUCE' : 'WASTE',
      set: item.outcome === 'PRODUCED' ? { cardNo: item.cardNo, chipUid: item.chipUid, producedAt: at } : { wasteCause: item.wasteCause, wasteReason: item.wasteReason },
      details: item.outcome === 'PRODUCED' ? { batchNo: batch.batchNo, cardNo: item.cardNo } : { batchNo: batch.batchNo, wasteCause: item.wasteCause, wasteReason: item.wasteReason },
      idempotencyKey: `${card.id}:RESULT`,
    }));
    const applied = await applyCardChanges(ctx, tx, actor, changes, at);
    const returns: ApplicationMove[] = toApply.flatMap(({ card, item }) =>
      item.outcome === 'WASTED' && item.wasteCause === 'AUTHORITY_DATA'
        ? [{ applicationId: card.applicationId, action: 'RETURN_TO_REVIEW' as const, idempotencyKey: `${card.id}:RETURNED`, details: { cardId: card.id, batchNo: batch.batchNo, reason: item.wasteReason } }]
        : [],
    );
    const returned = returns.length ? await moveApplications(ctx, tx, actor, returns, at) : 0;

    const done = new Set(toApply.map((t) => t.card.id));
    const remaining = cards.filter((c) => c.status === 'ORDERED' && !done.has(c.id)).length;
    let batchStatus: string = batch.status;
    if (remaining === 0 && batch.status === 'OPEN') {
      const programme = await getProgrammeRow(ctx, principal, batch.programmeId, tx);
      const destroyAfter = new Date(at.getTime() + programme.personalisationRetentionHours * 3_600_000);
      await tx
        .update(productionBatches)
        .set({ status: 'COMPLETED', completedAt: at, destroyAfter })
        .where(and(eq(productionBatches.id, batch.id), eq(productionBatches.status, 'OPEN')));
      batchStatus = 'COMPLETED';
    }
    return {
      batchId: batch.id,
      batchNo: batch.batchNo,
      applied,
      unchanged,
      produced: toApply.filter((t) => t.item.outcome === 'PRODUCED').length,
      wasted: toApply.filter((t) => t.item.outcome === 'WASTED').length,
      returnedToReview: returned,
      remaining,
      batchStatus,
    };
  });
}
