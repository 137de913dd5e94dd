import { eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable, Tx } from '../../platform/db/engine.ts';
import { anyOf } from '../../platform/db/any-of.ts';
import { decryptField } from '../../platform/crypto/field-cipher.ts';
import { applications, notificationOutbox } from './schema.ts';

export type NoticeKind = 'APPLICATION_REJECTED' | 'BANK_REJECTED' | 'CARD_READY' | 'ENDORSEMENT_DUE';

export interface PendingNotice {
  id: string;
  kind: NoticeKind;
  applicationId: string | null;
  /** The outlet that took the application: the SMS module sends in the name of an organisation above it. */
  outletOrgId: string | null;
  phone: string;
  payload: Record<string, unknown>;
  idempotencyKey: string;
}

/**
 * Locks up to `limit` PENDING notices of the given kinds, oldest first, for the caller's transaction.
 * SKIP LOCKED lets several workers relay at once without taking the same notice; the caller marks each
 * one (markNotices) in the same transaction as the SMS it queued, so a crash leaves both undone.
 */
export async function claimPendingNotices(ctx: AppContext, tx: Tx, kinds: NoticeKind[], limit: number): Promise<PendingNotice[]> {
  if (kinds.length === 0) return [];
  const rows = await ctx.db.rows<{
    id: string;
    kind: NoticeKind;
    application_id: string | null;
    recipient_phone_enc: string;
    payload: Record<string, unknown>;
    idempotency_key: string;
  }>(
    tx,
    sql`select n.id, n.kind, n.application_id, n.recipient_phone_enc, n.payload, n.idempotency_key
          from notification_outbox n
         where n.status = 'PENDING' and n.kind = any(${sql.param(kinds)}::text[])
         order by n.created_at, n.id
         limit ${limit}
           for update skip locked`,
  );
  const appIds = rows.map((r) => r.application_id).filter((id): id is string => id !== null);
  const outlets = new Map<string, string>();
  if (appIds.length) {
    const apps = await tx.select({ id: applications.id, outletOrgId: applications.outletOrgId }).from(applications).where(anyOf(applications.id, appIds));
    for (const a of apps) outlets.set(a.id, a.outletOrgId);
  }
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    applicationId: r.application_id,
    outletOrgId: r.application_id ? (outlets.get(r.application_id) ?? null) : null,
    phone: decryptField(ctx.keyring, r.recipient_phone_enc),
    payload: r.payload,
    idempotencyKey: r.idempotency_key,
  }));
}

/** Sets the outcome of claimed notices: SENT once their SMS is queued, FAILED when none can be made. */
export async function markNotices(tx: Tx, ids: string[], status: 'SENT' | 'FAILED'): Promise<void> {
  if (ids.length === 0) return;
  await tx.update(notificationOutbox).set({ status }).where(anyOf(notificationOutbox.id, ids));
}

/** The status of one notice (for tests and the console). */
export async function noticeStatus(q: Queryable, id: string): Promise<string | null> {
  const [row] = await q.select({ status: notificationOutbox.status }).from(notificationOutbox).where(eq(notificationOutbox.id, id));
  return row?.status ?? null;
}

export interface ApplicationContact {
  applicationId: string;
  applicationNo: string;
  phone: string;
}

/** Mobile numbers of applications, opened for sending an SMS (the campaign from a card query). */
export async function contactsOfApplications(ctx: AppContext, ids: string[], q: Queryable = ctx.db.orm): Promise<ApplicationContact[]> {
  const out: ApplicationContact[] = [];
  for (let i = 0; i < ids.length; i += 5000) {
    const rows = await q
      .select({ id: applications.id, applicationNo: applications.applicationNo, phoneEnc: applications.phoneEnc })
      .from(applications)
      .where(anyOf(applications.id, ids.slice(i, i + 5000)));
    for (const r of rows) out.push({ applicationId: r.id, applicationNo: r.applicationNo, phone: decryptField(ctx.keyring, r.phoneEnc) });
  }
  return out;
}
