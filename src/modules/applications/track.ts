import { timingSafeEqual } from 'node:crypto';
import { asc, eq, inArray } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { throttleIp } from '../../platform/auth/service.ts';
import { decryptField, encryptField } from '../../platform/crypto/field-cipher.ts';
import type { Keyring } from '../../platform/crypto/keyring.ts';
import { programmeNamesCached } from '../programmes/service.ts';
import { applicationEvents, applications, rejectionReasons } from './schema.ts';

export interface TrackReason {
  code: string;
  zh: string;
  en: string;
}

export interface TrackResult {
  applicationNo: string;
  programmeName: string;
  cardKind: string;
  kind: string;
  status: string;
  nameMasked: string;
  timeline: { type: string; at: string; reasons?: TrackReason[] }[];
}

/** A sealed ID per keyring, decrypted when the number does not exist so both misses cost the same. */
const dummies = new WeakMap<Keyring, string>();
function dummyToken(keyring: Keyring): string {
  let token = dummies.get(keyring);
  if (!token) {
    token = encryptField(keyring, '000000000000000000');
    dummies.set(keyring, token);
  }
  return token;
}

const notFound = () => new AppError('TRACK_NOT_FOUND');

/**
 * The holder's own progress: application number plus the last 6 characters of the ID number. Counted
 * per client address; an unknown number and wrong digits give the same answer after the same work (one
 * row read, one decryption, one constant-time comparison). Shows the masked name, the status and the
 * timeline (catalogue rejection reasons included, 一次性告知); never staff names, IDs or the reviewer's note.
 */
export async function trackApplication(ctx: AppContext, ip: string, input: { applicationNo: string; idLast6: string }): Promise<TrackResult> {
  await throttleIp(ctx, 'track', ip, ctx.config.trackIpLimitPerWindow, ctx.config.trackIpWindowSeconds);
  const applicationNo = input.applicationNo.trim().toUpperCase();
  const wanted = Buffer.from(input.idLast6.trim().toUpperCase(), 'utf8');
  const [row] = await ctx.db.orm
    .select({
      id: applications.id,
      applicationNo: applications.applicationNo,
      programmeId: applications.programmeId,
      cardKind: applications.cardKind,
      kind: applications.kind,
      status: applications.status,
      nameMasked: applications.nameMasked,
      citizenIdEnc: applications.citizenIdEnc,
    })
    .from(applications)
    .where(eq(applications.applicationNo, applicationNo))
    .limit(1);
  const citizenId = decryptField(ctx.keyring, row?.citizenIdEnc ?? dummyToken(ctx.keyring));
  const actual = Buffer.from(citizenId.slice(-6).toUpperCase(), 'utf8');
  const same = actual.length === wanted.length && timingSafeEqual(actual, wanted);
  if (!row || !same) throw notFound();

  const events = await ctx.db.orm
    .select({ type: applicationEvents.type, at: applicationEvents.at, details: applicationEvents.details })
    .from(applicationEvents)
    .where(eq(applicationEvents.applicationId, row.id))
    .orderBy(asc(applicationEvents.at), asc(applicationEvents.id));
  const codes = [...new Set(events.flatMap((e) => (e.type === 'REJECTED' ? reasonCodes(e.details) : [])))];
  const catalogue = codes.length ? await ctx.db.orm.select().from(rejectionReasons).where(inArray(rejectionReasons.code, codes)) : [];
  const byCode = new Map(catalogue.map((r) => [r.code, { code: r.code, zh: r.zh, en: r.en }]));
  const names = await programmeNamesCached(ctx, [row.programmeId]);
  return {
    applicationNo: row.applicationNo,
    programmeName: names.get(row.programmeId) ?? '',
    cardKind: row.cardKind,
    kind: row.kind,
    status: row.status,
    nameMasked: row.nameMasked,
    timeline: events.map((e) => {
      const at = e.at.toISOString();
      if (e.type !== 'REJECTED') return { type: e.type, at };
      return { type: e.type, at, reasons: reasonCodes(e.details).flatMap((c) => byCode.get(c) ?? []) };
    }),
  };
}

function reasonCodes(details: Record<string, unknown>): string[] {
  const r = details.reasons;
  return Array.isArray(r) ? r.filter((c): c is string => typeof c === 'string') : [];
}
