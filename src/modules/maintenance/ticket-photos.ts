import { and, asc, count, eq } from 'drizzle-orm';
import { can, type Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import { decryptBytes, encryptBytes } from '../../platform/crypto/field-cipher.ts';
import { sm3 } from '../../platform/crypto/sm.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { formatShanghai } from '../calendar/zone.ts';
import { userNamesByIds } from '../orgs/service.ts';
import { checkPhoto, PHOTO_MAX_BYTES, PHOTOS_PER_TICKET_MAX } from './photos-rules.ts';
import { maintenanceTickets } from './schema.ts';
import { siteVisible } from './scope.ts';
import { maintenanceTicketPhotos } from './staff-schema.ts';

/** Photos of a fault ticket: stored encrypted (they may show people), listed without their bytes, each view audited by the route. */

async function ticketInView(ctx: AppContext, principal: Principal, ticketId: string, q: Queryable = ctx.db.orm) {
  const [t] = await q
    .select({ id: maintenanceTickets.id, status: maintenanceTickets.status })
    .from(maintenanceTickets)
    .where(and(eq(maintenanceTickets.id, ticketId), siteVisible(ctx, principal, maintenanceTickets.siteOrgId, maintenanceTickets.contractId, q)));
  if (!t) throw new AppError('NOT_FOUND');
  return t;
}

export async function listTicketPhotos(ctx: AppContext, principal: Principal, ticketId: string) {
  await ticketInView(ctx, principal, ticketId);
  const rows = await ctx.db.orm
    .select({ id: maintenanceTicketPhotos.id, contentType: maintenanceTicketPhotos.contentType, bytes: maintenanceTicketPhotos.bytes, uploadedById: maintenanceTicketPhotos.uploadedById, createdAt: maintenanceTicketPhotos.createdAt })
    .from(maintenanceTicketPhotos)
    .where(eq(maintenanceTicketPhotos.ticketId, ticketId))
    .orderBy(asc(maintenanceTicketPhotos.createdAt));
  const names = await userNamesByIds(ctx, rows.map((r) => r.uploadedById));
  return {
    items: rows.map((r) => ({
      id: r.id,
      contentType: r.contentType,
      bytes: r.bytes,
      uploadedByName: r.uploadedById ? (names.get(r.uploadedById) ?? null) : null,
      createdAt: r.createdAt.toISOString(),
      createdAtLocal: formatShanghai(r.createdAt),
    })),
  };
}

/** Attaches a photo to a ticket that is not closed; the reporter's side and the maintainer both may. */
export async function addTicketPhoto(ctx: AppContext, principal: Principal, ticketId: string, base64: string): Promise<{ id: string; sm3: string }> {
  if (!can(principal, 'ticket.open') && !can(principal, 'ticket.work')) throw new AppError('FORBIDDEN');
  const compact = base64.replace(/^data:image\/(?:jpeg|png);base64,/, '').replace(/\s/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) throw new AppError('TICKET_PHOTO_INVALID', { params: { reason: 'not base64' } });
  const bytes = Buffer.from(compact, 'base64');
  const checked = checkPhoto(bytes);
  if (!checked.ok) {
    if (checked.reason === 'TOO_LARGE') throw new AppError('TICKET_PHOTO_TOO_LARGE', { params: { maxKb: PHOTO_MAX_BYTES / 1024 } });
    throw new AppError('TICKET_PHOTO_INVALID', { params: { reason: checked.detail } });
  }
  const digest = sm3(bytes).toString('hex');
  return ctx.db.orm.transaction(async (tx) => {
    const t = await ticketInView(ctx, principal, ticketId, tx);
    if (t.status === 'CLOSED') throw new AppError('TICKET_STATE_INVALID', { params: { from: t.status, action: 'PHOTO' } });
    const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(maintenanceTicketPhotos).where(eq(maintenanceTicketPhotos.ticketId, t.id));
    if (n >= PHOTOS_PER_TICKET_MAX) throw new AppError('TICKET_PHOTO_LIMIT', { params: { max: PHOTOS_PER_TICKET_MAX } });
    const [row] = await tx
      .insert(maintenanceTicketPhotos)
      .values({
        ticketId: t.id,
        contentType: checked.contentType,
        bytes: bytes.length,
        photoEnc: encryptBytes(ctx.keyring, bytes),
        photoSm3: digest,
        uploadedById: principal.type === 'USER' ? principal.id : null,
      })
      .returning({ id: maintenanceTicketPhotos.id });
    return { id: row!.id, sm3: digest };
  });
}

/** The bytes of one photo, checked against the digest taken at upload. */
export async function getTicketPhoto(ctx: AppContext, principal: Principal, ticketId: string, photoId: string): Promise<{ contentType: string; bytes: Buffer; sm3: string }> {
  await ticketInView(ctx, principal, ticketId);
  const [row] = await ctx.db.orm
    .select()
    .from(maintenanceTicketPhotos)
    .where(and(eq(maintenanceTicketPhotos.id, photoId), eq(maintenanceTicketPhotos.ticketId, ticketId)));
  if (!row) throw new AppError('NOT_FOUND');
  const bytes = decryptBytes(ctx.keyring, row.photoEnc);
  if (sm3(bytes).toString('hex') !== row.photoSm3) throw new AppError('CIPHERTEXT_TAMPERED');
  return { contentType: row.contentType, bytes, sm3: row.photoSm3 };
}
