import { and, asc, count, eq, inArray, isNull, lte } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import { appendAudit } from '../../platform/audit/service.ts';
import { encryptField } from '../../platform/crypto/field-cipher.ts';
import { CLOSED_STATUSES, minimisedBirthDate, minimisedCitizenIdMasked } from '../ops/retention-rules.ts';
import { applicationPhotos, applications } from './schema.ts';

export interface MinimiseResult {
  /** Applications minimised (or, in a dry run, due). */
  applications: number;
  /** Photos deleted (in a dry run: photos of the due applications). */
  photos: number;
  batches: number;
}

const BATCH = 200;

function dueCondition(programmeId: string, closedBefore: Date) {
  return and(eq(applications.programmeId, programmeId), inArray(applications.status, [...CLOSED_STATUSES]), isNull(applications.minimisedAt), lte(applications.updatedAt, closedBefore));
}

/**
 * Drops the personal data of a programme's applications that closed at or before `closedBefore`.
 * Kept: the application number, programme, outlet, kind, status and its history, sex, ethnicity, birth
 * year and the region part of the masked ID (what statistics and the card records need). Dropped: name,
 * citizen ID and phone (the encrypted columns then hold the encryption of an empty text, the blind
 * indexes are emptied so no lookup finds the person), addresses, the bank account and the photo.
 *
 * Each batch is one transaction that claims its rows with FOR UPDATE SKIP LOCKED and sets minimised_at,
 * so a crash leaves whole batches only, a second worker takes other rows, and a rerun skips what is done.
 */
export async function minimiseClosedApplications(
  ctx: AppContext,
  programmeId: string,
  closedBefore: Date,
  opts: { dryRun?: boolean; batchSize?: number; now?: Date } = {},
): Promise<MinimiseResult> {
  if (opts.dryRun) {
    const [due] = await ctx.db.orm.select({ n: count() }).from(applications).where(dueCondition(programmeId, closedBefore));
    const [photos] = await ctx.db.orm
      .select({ n: count() })
      .from(applicationPhotos)
      .innerJoin(applications, eq(applications.id, applicationPhotos.applicationId))
      .where(dueCondition(programmeId, closedBefore));
    return { applications: Number(due?.n ?? 0), photos: Number(photos?.n ?? 0), batches: 0 };
  }
  const now = opts.now ?? new Date();
  const out: MinimiseResult = { applications: 0, photos: 0, batches: 0 };
  for (;;) {
    const done = await ctx.db.orm.transaction(async (tx) => {
      const due = await tx
        .select({ id: applications.id, applicationNo: applications.applicationNo, citizenIdMasked: applications.citizenIdMasked, birthDate: applications.birthDate, bankMatchedAt: applications.bankMatchedAt })
        .from(applications)
        .where(dueCondition(programmeId, closedBefore))
        .orderBy(asc(applications.updatedAt), asc(applications.id))
        .limit(opts.batchSize ?? BATCH)
        .for('update', { skipLocked: true });
      if (due.length === 0) return null;
      for (const row of due) {
        await tx
          .update(applications)
          .set({
            nameEnc: encryptField(ctx.keyring, ''),
            nameMasked: '',
            citizenIdEnc: encryptField(ctx.keyring, ''),
            citizenIdIdx: '',
            citizenIdMasked: minimisedCitizenIdMasked(row.citizenIdMasked),
            phoneEnc: encryptField(ctx.keyring, ''),
            phoneIdx: '',
            phoneMasked: '',
            hukouAddressEnc: null,
            residenceAddressEnc: null,
            birthDate: minimisedBirthDate(row.birthDate),
            hasPhoto: false,
            // The matched-account check needs a token while bank_matched_at records when it was matched.
            bankAccountEnc: row.bankMatchedAt ? encryptField(ctx.keyring, '') : null,
            bankAccountMasked: null,
            minimisedAt: now,
          })
          .where(eq(applications.id, row.id));
      }
      const ids = due.map((d) => d.id);
      const photos = await tx.delete(applicationPhotos).where(inArray(applicationPhotos.applicationId, ids)).returning({ id: applicationPhotos.applicationId });
      await appendAudit(
        ctx,
        {
          actorType: 'SYSTEM',
          actorName: 'retention',
          action: 'application.data.minimise',
          targetType: 'programme',
          targetId: programmeId,
          outcome: 'SUCCESS',
          details: { applications: due.length, photos: photos.length, closedBefore: closedBefore.toISOString(), applicationNos: due.map((d) => d.applicationNo) },
        },
        tx,
      );
      return { applications: due.length, photos: photos.length };
    });
    if (!done) break;
    out.applications += done.applications;
    out.photos += done.photos;
    out.batches += 1;
  }
  return out;
}
