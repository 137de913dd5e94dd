import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { can } from '../../platform/auth/principal.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { decryptBytes } from '../../platform/crypto/field-cipher.ts';
import { sm3 } from '../../platform/crypto/sm.ts';
import { findOrg } from '../orgs/service.ts';
import { programmes } from '../programmes/schema.ts';
import { packageLinks, productionBatches } from './schema.ts';
import { activeKeyFor } from './keys.ts';
import { getBatchRow, type BatchRow } from './views.ts';
import { encryptedPackage, type PackageKey, type PackageRecord, type PackageSource } from './package.ts';

export const LINK_DEFAULT_HOURS = 24;
export const LINK_MAX_HOURS = 168;
export const LINK_DEFAULT_DOWNLOADS = 3;
export const LINK_MAX_DOWNLOADS = 10;
/** Rows read per query while a package streams: bounds memory whatever the batch size. */
export const RECORD_CHUNK = 1000;

function tokenHash(token: string): string {
  return sm3(Buffer.from(token, 'utf8')).toString('hex');
}

function destroyed(b: BatchRow): AppError {
  return new AppError('PACKAGE_DESTROYED', { params: { destroyedAt: b.destroyedAt?.toISOString() ?? '' } });
}

/**
 * A download link for a batch package: the batch's producer (production.report) or the authority
 * (batch.manage). Only the token's SM3 is stored; the token itself is in this answer only.
 */
export async function createPackageLink(
  ctx: AppContext,
  principal: Principal,
  batchId: string,
  input: { expiresInHours?: number; maxDownloads?: number },
  now = new Date(),
) {
  const batch = await getBatchRow(ctx, principal, batchId);
  const ownProducer = can(principal, 'production.report') && batch.producerOrgId === principal.orgId;
  if (!ownProducer && !can(principal, 'batch.manage')) throw new AppError('FORBIDDEN');
  if (batch.status === 'DESTROYED') throw destroyed(batch);
  if (!(await activeKeyFor(ctx, batch.producerOrgId))) throw new AppError('PACKAGE_KEY_MISSING');
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + (input.expiresInHours ?? LINK_DEFAULT_HOURS) * 3_600_000);
  const maxDownloads = input.maxDownloads ?? LINK_DEFAULT_DOWNLOADS;
  const [link] = await ctx.db.orm
    .insert(packageLinks)
    .values({ batchId: batch.id, tokenHash: tokenHash(token), expiresAt, maxDownloads, createdBy: principal.name, createdAt: now })
    .returning();
  return { id: link!.id, batchId: batch.id, batchNo: batch.batchNo, token, url: `/api/v1/packages/${token}`, expiresAt: expiresAt.toISOString(), maxDownloads };
}

export async function listPackageLinks(ctx: AppContext, principal: Principal, batchId: string) {
  const batch = await getBatchRow(ctx, principal, batchId);
  const rows = await ctx.db.orm.select().from(packageLinks).where(eq(packageLinks.batchId, batch.id)).orderBy(packageLinks.createdAt);
  return rows.map((l) => ({
    id: l.id,
    expiresAt: l.expiresAt.toISOString(),
    maxDownloads: l.maxDownloads,
    downloads: l.downloads,
    createdBy: l.createdBy,
    createdAt: l.createdAt.toISOString(),
  }));
}

/** The batch's sealed records, unsealed chunk by chunk in packing order (keyset on packing_seq). */
export function batchSource(ctx: AppContext, batch: BatchRow, programme: { id: string; kind: string; name: string }, producer: { id: string; name: string }): PackageSource {
  return {
    batchId: batch.id,
    batchNo: batch.batchNo,
    programme,
    producer,
    cardCount: batch.cardCount,
    createdAt: batch.createdAt,
    async *chunks(withPhotos: boolean): AsyncIterable<PackageRecord[]> {
      let after = 0;
      for (;;) {
        const rows = await ctx.db.rows<{ card_id: string; seq: number; record_enc: Buffer; photo_enc: Buffer | null }>(
          null,
          withPhotos
            ? sql`select r.card_id, c.packing_seq as seq, r.record_enc, r.photo_enc from batch_records r join card_attempts c on c.id = r.card_id
                   where r.batch_id = ${batch.id} and c.packing_seq > ${after} order by c.packing_seq limit ${RECORD_CHUNK}`
            : sql`select r.card_id, c.packing_seq as seq, r.record_enc, null::bytea as photo_enc from batch_records r join card_attempts c on c.id = r.card_id
                   where r.batch_id = ${batch.id} and c.packing_seq > ${after} order by c.packing_seq limit ${RECORD_CHUNK}`,
        );
        if (rows.length === 0) return;
        after = rows[rows.length - 1]!.seq;
        yield rows.map((r) => ({
          cardId: r.card_id,
          line: decryptBytes(ctx.keyring, Buffer.from(r.record_enc)),
          photo: r.photo_enc ? decryptBytes(ctx.keyring, Buffer.from(r.photo_enc)) : null,
        }));
        if (rows.length < RECORD_CHUNK) return;
      }
    },
  };
}

export interface Download {
  batch: BatchRow;
  downloads: number;
  maxDownloads: number;
  key: PackageKey;
  body: AsyncGenerator<Buffer>;
}

/**
 * Opens a download: only the batch's producer may use a link (anyone else gets 404 like an
 * unknown token). Destroyed, expired and used-up links answer 410; the count is taken with one
 * conditional UPDATE, so concurrent downloads can never exceed the limit.
 */
export async function openDownload(ctx: AppContext, principal: Principal, token: string, now = new Date()): Promise<Download> {
  const [found] = await ctx.db.orm
    .select({ link: packageLinks, batch: productionBatches })
    .from(packageLinks)
    .innerJoin(productionBatches, eq(productionBatches.id, packageLinks.batchId))
    .where(eq(packageLinks.tokenHash, tokenHash(token)));
  if (!found || found.batch.producerOrgId !== principal.orgId) throw new AppError('OUT_OF_SCOPE');
  const { link, batch } = found;
  if (batch.status === 'DESTROYED') throw destroyed(batch);
  if (link.expiresAt.getTime() <= now.getTime()) throw new AppError('PACKAGE_LINK_EXPIRED', { params: { expiresAt: link.expiresAt.toISOString() } });
  const key = await activeKeyFor(ctx, batch.producerOrgId);
  if (!key) throw new AppError('PACKAGE_KEY_MISSING');
  const [counted] = await ctx.db.orm
    .update(packageLinks)
    .set({ downloads: sql`${packageLinks.downloads} + 1` })
    .where(and(eq(packageLinks.id, link.id), lt(packageLinks.downloads, packageLinks.maxDownloads), gt(packageLinks.expiresAt, now)))
    .returning({ downloads: packageLinks.downloads });
  if (!counted) throw new AppError('PACKAGE_LINK_EXHAUSTED', { params: { maxDownloads: link.maxDownloads } });
  await ctx.db.orm
    .update(productionBatches)
    .set({ firstDownloadedAt: now })
    .where(and(eq(productionBatches.id, batch.id), isNull(productionBatches.firstDownloadedAt)));
  const [programme] = await ctx.db.orm.select({ id: programmes.id, kind: programmes.kind, name: programmes.name }).from(programmes).where(eq(programmes.id, batch.programmeId));
  const producer = await findOrg(ctx, batch.producerOrgId);
  const source = batchSource(ctx, batch, programme!, { id: batch.producerOrgId, name: producer?.name ?? '' });
  return { batch, downloads: counted.downloads, maxDownloads: link.maxDownloads, key, body: encryptedPackage(source, key, now) };
}
