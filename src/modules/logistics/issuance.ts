import { randomUUID } from 'node:crypto';
import { anyOf } from '../../platform/db/any-of.ts';
import { and, asc, eq, inArray, max, sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable, Tx } from '../../platform/db/engine.ts';
import { blindIndex } from '../../platform/crypto/blind-index.ts';
import { maskName } from '../../platform/crypto/masking.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { parseCitizenId } from '../../platform/validators/citizen-id.ts';
import { cardAttempts, cardEvents } from '../cards/schema.ts';
import { applyCardChanges, insertCards, lockCards, type CardChange, type CardRow } from '../cards/service.ts';
import { applicationsForCounter, lockApplication, moveApplications, type CounterApplication } from '../applications/progress.ts';
import { programmeNames } from '../programmes/service.ts';
import { normaliseChipUid, normaliseScannedCardNo, tempLossUntil } from './rules.ts';
import { cardActor, cardCounterScope, cardReadScope, iso, moveActor, orgNames } from './service.ts';

/** Card statuses a replacement card cancels: the holder's previous card still in their hands or lost. */
const REPLACEABLE = ['ISSUED', 'LOST_TEMP', 'LOST_FORMAL'] as const;

async function cardViews(ctx: AppContext, q: Queryable, cards: CardRow[]) {
  const apps = new Map((await applicationsForCounter(q, { ids: [...new Set(cards.map((c) => c.applicationId))] })).map((a) => [a.id, a]));
  const progs = await programmeNames(ctx, cards.map((c) => c.programmeId), q);
  const orgs = await orgNames(ctx, q, cards.flatMap((c) => [c.receiverOrgId, c.producerOrgId]));
  return cards.map((c) => {
    const a = apps.get(c.applicationId);
    return {
      id: c.id,
      cardNo: c.cardNo,
      cardKind: c.cardKind,
      status: c.status,
      mode: c.mode,
      attemptNo: c.attemptNo,
      programmeId: c.programmeId,
      programmeName: progs.get(c.programmeId) ?? '',
      receiverOrgId: c.receiverOrgId,
      receiverName: orgs.get(c.receiverOrgId) ?? '',
      producerName: c.producerOrgId ? (orgs.get(c.producerOrgId) ?? '') : null,
      applicationId: c.applicationId,
      applicationNo: a?.applicationNo ?? '',
      applicationKind: a?.kind ?? '',
      applicationStatus: a?.status ?? '',
      nameMasked: a?.nameMasked ?? '',
      citizenIdMasked: a?.citizenIdMasked ?? '',
      phoneMasked: a?.phoneMasked ?? '',
      producedAt: iso(c.producedAt),
      shippedAt: iso(c.shippedAt),
      receivedAt: iso(c.receivedAt),
      issuedAt: iso(c.issuedAt),
      socialActivatedAt: iso(c.socialActivatedAt),
      financialActivatedAt: iso(c.financialActivatedAt),
      lostTempUntil: iso(c.lostTempUntil),
      replacesCardId: c.replacesCardId,
    };
  });
}

export type CardView = Awaited<ReturnType<typeof cardViews>>[number];

async function cardsWhere(ctx: AppContext, q: Queryable, cond: SQL): Promise<CardRow[]> {
  const ids = await ctx.db.rows<{ id: string }>(q, sql`select c.id from card_attempts c where ${cond} order by c.created_at, c.attempt_no`);
  if (ids.length === 0) return [];
  const rows = await q.select().from(cardAttempts).where(anyOf(cardAttempts.id, ids.map((r) => r.id)));
  const order = new Map(ids.map((r, i) => [r.id, i]));
  return rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

export interface PrefabricatedWaiting {
  applicationId: string;
  applicationNo: string;
  programmeId: string;
  programmeName: string;
  nameMasked: string;
  citizenIdMasked: string;
  phoneMasked: string;
  status: string;
}

/**
 * What the counter can do for an application number, or for a holder found by their ID number (through
 * the blind index, never by decrypting), masked holder data only: `items`, the cards addressed to the
 * caller's counter, newest attempt last; `prefabricated`, the MATCHED prefabricated applications taken at
 * the caller's outlet or addressed to its bank branch that have no card yet (to personalise a blank card
 * on the spot; bank operators cannot read applications, so this is how they find the application id).
 */
export async function findCards(ctx: AppContext, principal: Principal, by: { applicationNo: string } | { citizenId: string }) {
  const apps: CounterApplication[] =
    'applicationNo' in by
      ? await applicationsForCounter(ctx.db.orm, { applicationNo: by.applicationNo.trim().toUpperCase() })
      : await applicationsForCounter(ctx.db.orm, { citizenIdIdx: blindIndex(ctx.keyring, 'citizen_id', parseCitizenId(by.citizenId).id) });
  if (apps.length === 0) return { items: [], prefabricated: [] };
  const appIds = sql.join(
    apps.map((a) => sql`${a.id}::uuid`),
    sql`, `,
  );
  const cards = await cardsWhere(ctx, ctx.db.orm, sql`c.application_id in (${appIds}) and c.card_no is not null and ${cardCounterScope(ctx, principal)}`);
  const withCard = new Set((await ctx.db.rows<{ application_id: string }>(ctx.db.orm, sql`select distinct application_id from card_attempts where application_id in (${appIds})`)).map((r) => r.application_id));
  const waiting = apps.filter(
    (a) => a.kind === 'PREFABRICATED' && a.status === 'MATCHED' && (a.outletOrgId === principal.orgId || a.bankOrgId === principal.orgId) && !withCard.has(a.id),
  );
  const progs = await programmeNames(
    ctx,
    waiting.map((a) => a.programmeId),
    ctx.db.orm,
  );
  const prefabricated: PrefabricatedWaiting[] = waiting.map((a) => ({
    applicationId: a.id,
    applicationNo: a.applicationNo,
    programmeId: a.programmeId,
    programmeName: progs.get(a.programmeId) ?? '',
    nameMasked: a.nameMasked,
    citizenIdMasked: a.citizenIdMasked,
    phoneMasked: a.phoneMasked,
    status: a.status,
  }));
  return { items: await cardViews(ctx, ctx.db.orm, cards), prefabricated };
}

/** One card the caller may see, with its event timeline. */
export async function getCard(ctx: AppContext, principal: Principal, id: string) {
  const [card] = await cardsWhere(ctx, ctx.db.orm, sql`c.id = ${id}::uuid and ${cardReadScope(ctx, principal)}`);
  if (!card) throw new AppError('OUT_OF_SCOPE');
  const [view] = await cardViews(ctx, ctx.db.orm, [card]);
  const events = await ctx.db.orm.select().from(cardEvents).where(eq(cardEvents.cardId, id)).orderBy(asc(cardEvents.seq));
  return {
    ...view!,
    events: events.map((e) => ({ seq: e.seq, type: e.type, fromStatus: e.fromStatus, toStatus: e.toStatus, at: iso(e.at)!, actorName: e.actorName, details: e.details })),
  };
}

/** Locks one card at the caller's counter (404 OUT_OF_SCOPE for anything else). */
async function lockCounterCard(ctx: AppContext, tx: Tx, principal: Principal, id: string): Promise<CardRow> {
  const hit = await ctx.db.rows<{ id: string }>(tx, sql`select c.id from card_attempts c where c.id = ${id}::uuid and ${cardCounterScope(ctx, principal)}`);
  if (hit.length === 0) throw new AppError('OUT_OF_SCOPE');
  const [card] = await lockCards(tx, [id]);
  return card!;
}

/**
 * The holder's earlier cards of the same programme (found by the citizen-ID blind index on their other
 * applications) that a new card replaces: cancelled in the caller's transaction. Returns the first one.
 */
async function cancelReplacedCards(ctx: AppContext, tx: Tx, principal: Principal, app: CounterApplication, newCardId: string, at: Date): Promise<string | null> {
  const others = (await applicationsForCounter(tx, { citizenIdIdx: app.citizenIdIdx })).filter((a) => a.programmeId === app.programmeId && a.id !== app.id);
  if (others.length === 0) return null;
  const old = await tx
    .select({ id: cardAttempts.id })
    .from(cardAttempts)
    .where(and(anyOf(cardAttempts.applicationId, others.map((a) => a.id)), inArray(cardAttempts.status, [...REPLACEABLE])));
  if (old.length === 0) return null;
  const locked = await lockCards(
    tx,
    old.map((o) => o.id),
  );
  await applyCardChanges(
    ctx,
    tx,
    cardActor(principal),
    locked.map((card) => ({ card, action: 'CANCEL', details: { reason: 'REPLACED', replacedBy: newCardId }, idempotencyKey: `${card.id}:CANCEL:${newCardId}` })),
    at,
  );
  return locked[0]!.id;
}

export interface IssueInput {
  identityChecked: boolean;
  collectedBy: 'HOLDER' | 'AGENT';
  agentName?: string | null;
}

/** Hands a received card over: card ISSUED, application ISSUED, the holder's previous card cancelled. */
export async function issueCard(ctx: AppContext, principal: Principal, id: string, input: IssueInput) {
  if (input.identityChecked !== true) throw new AppError('IDENTITY_CHECK_REQUIRED');
  const agentName = input.agentName?.trim() ?? '';
  if (input.collectedBy === 'AGENT' && !agentName) throw new AppError('AGENT_NAME_REQUIRED');
  const at = new Date();
  await ctx.db.orm.transaction(async (tx) => {
    const card = await lockCounterCard(ctx, tx, principal, id);
    if (card.status !== 'RECEIVED') throw new AppError('CARD_NOT_RECEIVED', { params: { status: card.status } });
    const [app] = await applicationsForCounter(tx, { ids: [card.applicationId] });
    const replaced = await cancelReplacedCards(ctx, tx, principal, app!, card.id, at);
    // Only the agent's masked name is kept: the hand-over record is evidence, not a second copy of personal data.
    const details = { collectedBy: input.collectedBy, ...(input.collectedBy === 'AGENT' ? { agentNameMasked: maskName(agentName) } : {}), ...(replaced ? { replacesCardId: replaced } : {}) };
    await applyCardChanges(ctx, tx, cardActor(principal), [{ card, action: 'ISSUE', set: { issuedAt: at, ...(replaced ? { replacesCardId: replaced } : {}) }, details, idempotencyKey: `${card.id}:ISSUE` }], at);
    await moveApplications(ctx, tx, moveActor(principal), [{ applicationId: card.applicationId, action: 'ISSUE', idempotencyKey: `${card.id}:ISSUED`, details: { cardId: card.id, collectedBy: input.collectedBy } }], at);
  });
  return getCard(ctx, principal, id);
}

/**
 * Records the social or financial activation of an issued social security card. Not a status change,
 * so an event is written directly (type ACTIVATE_SOCIAL / ACTIVATE_FINANCIAL, same from and to status);
 * its key `${cardId}:ACTIVATE:${function}` makes a second activation a no-op.
 */
export async function activateCard(ctx: AppContext, principal: Principal, id: string, fn: 'SOCIAL' | 'FINANCIAL') {
  const at = new Date();
  await ctx.db.orm.transaction(async (tx) => {
    const card = await lockCounterCard(ctx, tx, principal, id);
    if (card.cardKind !== 'SOCIAL_SECURITY_CARD') throw new AppError('CARD_NOT_SOCIAL_SECURITY');
    if (card.status !== 'ISSUED') throw new AppError('CARD_NOT_ISSUED', { params: { status: card.status } });
    await recordActivation(tx, principal, card, fn, at);
  });
  return getCard(ctx, principal, id);
}

/** Writes the activation column and its event in the caller's transaction (skipped when already recorded). */
export async function recordActivation(tx: Tx, principal: Principal, card: CardRow, fn: 'SOCIAL' | 'FINANCIAL', at: Date): Promise<boolean> {
  const inserted = await tx
    .insert(cardEvents)
    .values({
      cardId: card.id,
      applicationId: card.applicationId,
      programmeId: card.programmeId,
      type: `ACTIVATE_${fn}`,
      fromStatus: card.status,
      toStatus: card.status,
      at,
      actorType: principal.type,
      actorId: principal.id,
      actorName: principal.name,
      orgId: principal.orgId,
      details: { function: fn },
      idempotencyKey: `${card.id}:ACTIVATE:${fn}`,
    })
    .onConflictDoNothing()
    .returning({ seq: cardEvents.seq });
  if (inserted.length === 0) return false;
  await tx
    .update(cardAttempts)
    .set(fn === 'SOCIAL' ? { socialActivatedAt: at, updatedAt: at } : { financialActivatedAt: at, updatedAt: at })
    .where(eq(cardAttempts.id, card.id));
  return true;
}

/** Temporary (held for `days`, default 15) or formal loss of an issued card. */
export async function reportLoss(ctx: AppContext, principal: Principal, id: string, input: { kind: 'TEMP' | 'FORMAL'; days?: number }) {
  const at = new Date();
  await ctx.db.orm.transaction(async (tx) => {
    const card = await lockCounterCard(ctx, tx, principal, id);
    if ((input.kind === 'TEMP' && card.status === 'LOST_TEMP') || card.status === 'LOST_FORMAL') throw new AppError('CARD_LOSS_ALREADY_REPORTED');
    if (card.status !== 'ISSUED' && card.status !== 'LOST_TEMP') throw new AppError('CARD_NOT_ISSUED', { params: { status: card.status } });
    const change: CardChange =
      input.kind === 'TEMP'
        ? { card, action: 'REPORT_LOSS_TEMP', set: { lostTempUntil: tempLossUntil(at, input.days) }, details: { days: input.days ?? null }, idempotencyKey: `${card.id}:LOSS_TEMP:${randomUUID()}` }
        : { card, action: 'REPORT_LOSS_FORMAL', set: { lostTempUntil: null }, idempotencyKey: `${card.id}:LOSS_FORMAL` };
    await applyCardChanges(ctx, tx, cardActor(principal), [change], at);
  });
  return getCard(ctx, principal, id);
}

/** Lifts a temporary loss: the card is ISSUED again. A formal loss cannot be lifted. */
export async function liftLoss(ctx: AppContext, principal: Principal, id: string) {
  const at = new Date();
  await ctx.db.orm.transaction(async (tx) => {
    const card = await lockCounterCard(ctx, tx, principal, id);
    if (card.status === 'LOST_FORMAL') throw new AppError('LOSS_FORMAL_NOT_LIFTABLE');
    if (card.status !== 'LOST_TEMP') throw new AppError('CARD_NOT_LOST');
    await applyCardChanges(ctx, tx, cardActor(principal), [{ card, action: 'LIFT_LOSS', set: { lostTempUntil: null }, idempotencyKey: `${card.id}:LIFT_LOSS:${randomUUID()}` }], at);
  });
  return getCard(ctx, principal, id);
}

/**
 * Issues a prefabricated social security card (预制卡) personalised at the counter: a MATCHED
 * PREFABRICATED application at the caller's outlet or bank branch gets an INSTANT card, ISSUED at once
 * (no batch, no producer, no shipment), and the application is ISSUED, in one transaction.
 */
export async function issuePrefabricated(ctx: AppContext, principal: Principal, applicationId: string, input: { cardNo: string; chipUid: string; identityChecked?: boolean }) {
  // Optional for API clients that check identity elsewhere; when sent (the console always does) it must be true.
  if (input.identityChecked === false) throw new AppError('IDENTITY_CHECK_REQUIRED');
  const cardNo = normaliseScannedCardNo(input.cardNo);
  if (!cardNo) throw new AppError('PREFAB_CARD_NO_INVALID');
  const chipUid = normaliseChipUid(input.chipUid);
  if (!chipUid) throw new AppError('PREFAB_CHIP_UID_INVALID');
  const at = new Date();
  const cardId = await ctx.db.orm.transaction(async (tx) => {
    const app = await lockApplication(tx, applicationId);
    const atCounter = app && (app.outletOrgId === principal.orgId || app.bankOrgId === principal.orgId);
    if (!app || !atCounter) throw new AppError('OUT_OF_SCOPE');
    if (app.kind !== 'PREFABRICATED') throw new AppError('APPLICATION_NOT_PREFABRICATED');
    if (app.status !== 'MATCHED') throw new AppError('APPLICATION_NOT_MATCHED', { params: { status: app.status } });
    const [taken] = await tx
      .select({ id: cardAttempts.id })
      .from(cardAttempts)
      .where(and(eq(cardAttempts.programmeId, app.programmeId), eq(cardAttempts.cardNo, cardNo)));
    if (taken) throw new AppError('PREFAB_CARD_NO_TAKEN', { params: { cardNo } });
    const [last] = await tx
      .select({ n: max(cardAttempts.attemptNo) })
      .from(cardAttempts)
      .where(eq(cardAttempts.applicationId, app.id));
    const [newId] = await insertCards(
      ctx,
      tx,
      cardActor(principal),
      [
        {
          applicationId: app.id,
          programmeId: app.programmeId,
          cardKind: 'SOCIAL_SECURITY_CARD',
          attemptNo: (last?.n ?? 0) + 1,
          mode: 'INSTANT',
          status: 'ISSUED',
          receiverOrgId: principal.orgId,
          cardNo,
          chipUid,
          producedAt: at,
          issuedAt: at,
        },
      ],
      'ISSUE_PREFABRICATED',
      at,
    );
    const cardId = newId!;
    const replaced = await cancelReplacedCards(ctx, tx, principal, app, cardId, at);
    if (replaced) await tx.update(cardAttempts).set({ replacesCardId: replaced }).where(eq(cardAttempts.id, cardId));
    await moveApplications(ctx, tx, moveActor(principal), [{ applicationId: app.id, action: 'ISSUE', idempotencyKey: `${cardId}:ISSUED`, details: { cardId, prefabricated: true } }], at);
    return cardId;
  });
  return getCard(ctx, principal, cardId);
}

/**
 * Cards waiting at the caller's counter for their holders (RECEIVED), longest waiting first: the list a
 * clerk works through and calls holders from. Masked holder data only.
 */
export async function waitingForPickup(ctx: AppContext, principal: Principal, page: { limit?: number; offset?: number }) {
  const cond = sql`c.status = 'RECEIVED' and c.receiver_org_id = ${principal.orgId}::uuid`;
  const [{ n }] = (await ctx.db.rows<{ n: number }>(ctx.db.orm, sql`select count(*)::int as n from card_attempts c where ${cond}`)) as [{ n: number }];
  const ids = await ctx.db.rows<{ id: string }>(
    ctx.db.orm,
    sql`select c.id from card_attempts c where ${cond} order by c.received_at, c.id limit ${page.limit ?? 50} offset ${page.offset ?? 0}`,
  );
  if (ids.length === 0) return { items: [], total: Number(n) };
  const rows = await ctx.db.orm.select().from(cardAttempts).where(anyOf(cardAttempts.id, ids.map((r) => r.id)));
  const order = new Map(ids.map((r, i) => [r.id, i]));
  rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return { items: await cardViews(ctx, ctx.db.orm, rows), total: Number(n) };
}
