import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { anyOf } from '../../platform/db/any-of.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable, Tx } from '../../platform/db/engine.ts';
import { decryptField } from '../../platform/crypto/field-cipher.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { insertJson } from '../../platform/db/bulk.ts';
import { applicationEvents, applicationPhotos, applications, notificationOutbox, type ApplicationStatus } from './schema.ts';
import { nextStatus, type ApplicationAction } from './states.ts';

export interface ApplicationMove {
  applicationId: string;
  action: ApplicationAction;
  /** Unique per real-world happening (e.g. `${cardId}:READY`): a retry with the same key changes nothing. */
  idempotencyKey: string;
  details?: Record<string, unknown>;
  /** A notice for the holder, written to the outbox in the same transaction. */
  notify?: { kind: 'CARD_READY' | 'BANK_REJECTED'; payload: Record<string, unknown> };
}

export interface MoveActor {
  type: string;
  id: string | null;
  name: string | null;
}

/**
 * Moves applications through their state machine in bulk inside the caller's transaction, writing an
 * application event (and a holder notice where asked) for each. Applications are locked first; a move
 * whose key was already recorded is skipped; a move the state machine does not allow is refused with
 * APPLICATION_STATE_INVALID so the whole transaction rolls back.
 */
export async function moveApplications(ctx: AppContext, tx: Tx, actor: MoveActor, moves: ApplicationMove[], at = new Date()): Promise<number> {
  let moved = 0;
  for (let start = 0; start < moves.length; start += 2000) {
    const chunk = moves.slice(start, start + 2000);
    const ids = [...new Set(chunk.map((m) => m.applicationId))];
    const locked = await tx
      .select({ id: applications.id, status: applications.status, phoneEnc: applications.phoneEnc, applicationNo: applications.applicationNo })
      .from(applications)
      .where(anyOf(applications.id, ids))
      .orderBy(applications.id)
      .for('update');
    const byId = new Map(locked.map((r) => [r.id, r]));
    const seen = new Set(
      (
        await tx
          .select({ key: applicationEvents.idempotencyKey })
          .from(applicationEvents)
          .where(anyOf(applicationEvents.idempotencyKey, chunk.map((m) => m.idempotencyKey)))
      ).map((r) => r.key),
    );
    const updates: { id: string; to: ApplicationStatus }[] = [];
    const events: (typeof applicationEvents.$inferInsert)[] = [];
    const notices: (typeof notificationOutbox.$inferInsert)[] = [];
    for (const m of chunk) {
      if (seen.has(m.idempotencyKey)) continue;
      const row = byId.get(m.applicationId);
      if (!row) throw new AppError('NOT_FOUND');
      const to = nextStatus(row.status, m.action);
      if (!to) throw new AppError('APPLICATION_STATE_INVALID', { params: { from: row.status, action: m.action }, details: { applicationId: row.id } });
      row.status = to;
      seen.add(m.idempotencyKey);
      updates.push({ id: row.id, to });
      events.push({
        applicationId: row.id,
        type: m.action === 'RETURN_TO_REVIEW' ? 'RETURNED' : to,
        actorType: actor.type,
        actorId: actor.id,
        actorName: actor.name,
        at,
        details: m.details ?? {},
        idempotencyKey: m.idempotencyKey,
      });
      if (m.notify) {
        notices.push({
          kind: m.notify.kind,
          applicationId: row.id,
          recipientPhoneEnc: row.phoneEnc,
          payload: { applicationNo: row.applicationNo, ...m.notify.payload },
          idempotencyKey: `${m.notify.kind}:${m.idempotencyKey}`,
        });
      }
    }
    if (updates.length === 0) continue;
    // The last status per application wins (one chunk may move the same application twice).
    const last = new Map(updates.map((u) => [u.id, u.to]));
    await ctx.db.rows(
      tx,
      sql`update applications a set status = v.to_status, updated_at = ${at.toISOString()}::timestamptz,
            decided_at = case when v.to_status = 'SUBMITTED' then null else coalesce(a.decided_at, ${at.toISOString()}::timestamptz) end
          from unnest(${sql.param([...last.keys()])}::uuid[], ${sql.param([...last.values()])}::text[]) as v(id, to_status) where a.id = v.id`,
    );
    for (let i = 0; i < events.length; i += 2000) await insertJson(ctx.db, tx, applicationEvents, events.slice(i, i + 2000));
    // Notice keys derive from the move keys, which were checked above, so they are new too.
    for (let i = 0; i < notices.length; i += 2000) await insertJson(ctx.db, tx, notificationOutbox, notices.slice(i, i + 2000));
    moved += updates.length;
  }
  return moved;
}

/**
 * Applications of a programme waiting for a production batch (approved permits, matched social
 * security cards; never endorsements or prefabricated cards), oldest first, locked so two batch
 * runs never take the same application (SKIP LOCKED: a concurrent run takes the next ones).
 */
export async function lockWaitingForProduction(tx: Tx, programmeId: string, cardKind: string, limit: number): Promise<string[]> {
  const status = cardKind === 'SOCIAL_SECURITY_CARD' ? 'MATCHED' : 'APPROVED';
  const rows = await tx
    .select({ id: applications.id })
    .from(applications)
    .where(and(eq(applications.programmeId, programmeId), eq(applications.status, status), inArray(applications.kind, ['NEW', 'REPLACEMENT', 'RENEWAL'])))
    .orderBy(asc(applications.decidedAt), asc(applications.applicationNo))
    .limit(limit)
    .for('update', { skipLocked: true });
  return rows.map((r) => r.id);
}

export async function countWaitingForProduction(q: Queryable, programmeId: string, cardKind: string): Promise<number> {
  const status = cardKind === 'SOCIAL_SECURITY_CARD' ? 'MATCHED' : 'APPROVED';
  const [row] = await q
    .select({ n: count() })
    .from(applications)
    .where(and(eq(applications.programmeId, programmeId), eq(applications.status, status), inArray(applications.kind, ['NEW', 'REPLACEMENT', 'RENEWAL'])));
  return row?.n ?? 0;
}

/** What production needs of each application, decrypted: only for building the sealed batch records. */
export async function productionInputs(ctx: AppContext, q: Queryable, ids: string[]) {
  const out = new Map<
    string,
    {
      id: string;
      applicationNo: string;
      outletOrgId: string;
      bankOrgId: string | null;
      bankMatchedAt: Date | null;
      name: string;
      citizenId: string;
      sex: 'M' | 'F';
      ethnicity: string;
      birthDate: string;
      hukouAddress: string | null;
      residenceAddress: string | null;
      bankAccount: string | null;
      /** SM3 of the photo, if there is one (production copies the sealed photo itself without opening it). */
      photoSm3: string | null;
    }
  >();
  for (let i = 0; i < ids.length; i += 2000) {
    const chunk = ids.slice(i, i + 2000);
    const rows = await q.select().from(applications).where(anyOf(applications.id, chunk));
    const photos = await q.select({ applicationId: applicationPhotos.applicationId, sm3: applicationPhotos.sm3 }).from(applicationPhotos).where(anyOf(applicationPhotos.applicationId, chunk));
    const photoBy = new Map(photos.map((p) => [p.applicationId, p.sm3]));
    for (const a of rows) {
      out.set(a.id, {
        id: a.id,
        applicationNo: a.applicationNo,
        outletOrgId: a.outletOrgId,
        bankOrgId: a.bankOrgId,
        bankMatchedAt: a.bankMatchedAt,
        name: decryptField(ctx.keyring, a.nameEnc),
        citizenId: decryptField(ctx.keyring, a.citizenIdEnc),
        sex: a.sex,
        ethnicity: a.ethnicity,
        birthDate: a.birthDate,
        hukouAddress: a.hukouAddressEnc ? decryptField(ctx.keyring, a.hukouAddressEnc) : null,
        residenceAddress: a.residenceAddressEnc ? decryptField(ctx.keyring, a.residenceAddressEnc) : null,
        bankAccount: a.bankAccountEnc ? decryptField(ctx.keyring, a.bankAccountEnc) : null,
        photoSm3: photoBy.get(a.id) ?? null,
      });
    }
  }
  return out;
}

/** What a counter clerk may see of an application: masked personal data and where it belongs. */
export interface CounterApplication {
  id: string;
  applicationNo: string;
  programmeId: string;
  cardKind: string;
  kind: string;
  status: ApplicationStatus;
  outletOrgId: string;
  bankOrgId: string | null;
  citizenIdIdx: string;
  nameMasked: string;
  citizenIdMasked: string;
  phoneMasked: string;
  createdAt: Date;
}

/**
 * Applications by number, by the citizen-ID blind index (the caller hashes the normalised number) or by
 * id, with masked personal data only: for finding a card at the counter and for replacements.
 */
export async function applicationsForCounter(q: Queryable, by: { applicationNo: string } | { citizenIdIdx: string } | { ids: string[] }): Promise<CounterApplication[]> {
  const where =
    'applicationNo' in by ? eq(applications.applicationNo, by.applicationNo) : 'citizenIdIdx' in by ? eq(applications.citizenIdIdx, by.citizenIdIdx) : inArray(applications.id, by.ids.length ? by.ids : ['00000000-0000-0000-0000-000000000000']);
  return q
    .select({
      id: applications.id,
      applicationNo: applications.applicationNo,
      programmeId: applications.programmeId,
      cardKind: applications.cardKind,
      kind: applications.kind,
      status: applications.status,
      outletOrgId: applications.outletOrgId,
      bankOrgId: applications.bankOrgId,
      citizenIdIdx: applications.citizenIdIdx,
      nameMasked: applications.nameMasked,
      citizenIdMasked: applications.citizenIdMasked,
      phoneMasked: applications.phoneMasked,
      createdAt: applications.createdAt,
    })
    .from(applications)
    .where(where)
    .orderBy(asc(applications.createdAt));
}

/** Locks one application for a counter change (prefabricated issue), in the caller's transaction. */
export async function lockApplication(tx: Tx, id: string): Promise<CounterApplication | null> {
  await tx.select({ id: applications.id }).from(applications).where(eq(applications.id, id)).for('update');
  const [row] = await applicationsForCounter(tx, { ids: [id] });
  return row ?? null;
}

/** Application numbers by application id (for producers' and banks' lists; no personal data). */
export async function applicationNumbers(q: Queryable, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 5000) {
    const rows = await q.select({ id: applications.id, no: applications.applicationNo }).from(applications).where(anyOf(applications.id, unique.slice(i, i + 5000)));
    for (const r of rows) out.set(r.id, r.no);
  }
  return out;
}
