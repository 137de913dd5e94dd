import { timingSafeEqual } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { ipThrottle } from '../../platform/auth/service.ts';
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
  const throttle = ipThrottle('track', ip, ctx.config.trackIpLimitPerWindow, ctx.config.trackIpWindowSeconds);
  const applicationNo = input.applicationNo.trim().toUpperCase();
  const wanted = Buffer.from(input.idLast6.trim().toUpperCase(), 'utf8');
  // The count, the application and its timeline in one round trip: at a thousand lookups a second on
  // two cores, each statement's trip through both processes cost more than the reads themselves.
  const [row] = await ctx.db.rows<{
    attempts: number;
    id: string | null;
    application_no: string;
    programme_id: string;
    card_kind: string;
    kind: string;
    status: string;
    name_masked: string;
    citizen_id_enc: string | null;
    events: Array<{ type: string; at: string; details: Record<string, unknown> }> | null;
  }>(
    null,
    sql`with bump as (${throttle.bump})
        select (select attempts from bump) as attempts, a.id, a.application_no, a.programme_id, a.card_kind, a.kind, a.status, a.name_masked, a.citizen_id_enc,
               (select json_agg(json_build_object('type', e.type, 'at', e.at, 'details', e.details) order by e.at, e.id)
                from ${applicationEvents} e where e.application_id = a.id) as events
        from (select 1) as one left join ${applications} a on a.application_no = ${applicationNo}
        limit 1`,
  );
  throttle.enforce(Number(row?.attempts ?? 0));
  const citizenId = decryptField(ctx.keyring, row?.citizen_id_enc ?? dummyToken(ctx.keyring));
  const actual = Buffer.from(citizenId.slice(-6).toUpperCase(), 'utf8');
  const same = actual.length === wanted.length && timingSafeEqual(actual, wanted);
  if (!row?.id || !same) throw notFound();

  const events = row.events ?? [];
  const codes = [...new Set(events.flatMap((e) => (e.type === 'REJECTED' ? reasonCodes(e.details) : [])))];
  const catalogue = codes.length ? await ctx.db.orm.select().from(rejectionReasons).where(inArray(rejectionReasons.code, codes)) : [];
  const byCode = new Map(catalogue.map((r) => [r.code, { code: r.code, zh: r.zh, en: r.en }]));
  const names = await programmeNamesCached(ctx, [row.programme_id]);
  return {
    applicationNo: row.application_no,
    programmeName: names.get(row.programme_id) ?? '',
    cardKind: row.card_kind,
    kind: row.kind,
    status: row.status,
    nameMasked: row.name_masked,
    timeline: events.map((e) => {
      const at = new Date(e.at).toISOString();
      if (e.type !== 'REJECTED') return { type: e.type, at };
      return { type: e.type, at, reasons: reasonCodes(e.details).flatMap((c) => byCode.get(c) ?? []) };
    }),
  };
}

function reasonCodes(details: Record<string, unknown>): string[] {
  const r = details.reasons;
  return Array.isArray(r) ? r.filter((c): c is string => typeof c === 'string') : [];
}
