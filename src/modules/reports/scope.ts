import { sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../../platform/auth/principal.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { addDaysToDate, isValidDate, shanghaiDate, shanghaiInstant } from '../calendar/zone.ts';

/**
 * Which cards a principal may count. An authority sees the cards of the programmes it runs and the
 * cards addressed to the outlets below it; a producer, an outlet or a bank branch sees the cards it
 * makes or receives. `c` is the card_attempts alias, `p` the programmes alias of the query.
 */
export function cardScope(principal: Principal, side: 'any' | 'producer' | 'receiver' = 'any'): SQL {
  if (principal.scope === 'subtree') {
    const prefix = `${principal.orgPath}%`;
    return sql`(exists (select 1 from organisations ao where ao.id = p.authority_org_id and ao.path like ${prefix})
             or exists (select 1 from organisations ro where ro.id = c.receiver_org_id and ro.path like ${prefix}))`;
  }
  if (side === 'producer') return sql`c.producer_org_id = ${principal.orgId}::uuid`;
  if (side === 'receiver') return sql`c.receiver_org_id = ${principal.orgId}::uuid`;
  return sql`(c.producer_org_id = ${principal.orgId}::uuid or c.receiver_org_id = ${principal.orgId}::uuid)`;
}

/** Applications a principal may count: an authority its subtree's outlets, an outlet its own (`a` = applications, `o` = its outlet). */
export function applicationScope(principal: Principal): SQL {
  if (principal.scope === 'subtree') return sql`o.path like ${`${principal.orgPath}%`}`;
  return sql`a.outlet_org_id = ${principal.orgId}::uuid`;
}

/** Only the programme asked for, when one is asked for (`alias` is the table carrying programme_id). */
export function programmeFilter(alias: string, programmeId: string | undefined): SQL {
  return programmeId ? sql`${sql.raw(alias)}.programme_id = ${programmeId}::uuid` : sql`true`;
}

export interface Period {
  from: string;
  to: string;
  /** The first instant of `from` and the first instant after `to`, Asia/Shanghai. */
  start: Date;
  end: Date;
}

export const MAX_PERIOD_DAYS = 366;

export function checkDate(date: string): string {
  if (!isValidDate(date)) throw new AppError('REPORT_DATE_INVALID', { params: { date } });
  return date;
}

/** A reporting period of Shanghai calendar days, both ends included; the last 30 days by default. */
export function periodOf(from: string | undefined, to: string | undefined, now: Date): Period {
  const end = checkDate(to ?? shanghaiDate(now));
  const start = checkDate(from ?? addDaysToDate(end, -29));
  const days = Math.round((shanghaiInstant(end, 0).getTime() - shanghaiInstant(start, 0).getTime()) / 86_400_000) + 1;
  if (days < 1 || days > MAX_PERIOD_DAYS) throw new AppError('REPORT_PERIOD_INVALID', { params: { maxDays: MAX_PERIOD_DAYS }, details: { from: start, to: end } });
  return { from: start, to: end, start: shanghaiInstant(start, 0), end: shanghaiInstant(addDaysToDate(end, 1), 0) };
}

// Keys whose values could identify or reach a person; event and notice details lose them before leaving the server.
const PERSONAL_KEY = /name|citizen|idno|phone|mobile|account|address|birth|photo|holder/i;

/** A copy of event or notice details without anything that could be personal data. */
export function withoutPersonalData(details: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details ?? {})) {
    if (PERSONAL_KEY.test(k)) continue;
    out[k] = v !== null && typeof v === 'object' && !Array.isArray(v) ? withoutPersonalData(v as Record<string, unknown>) : v;
  }
  return out;
}

/** The programme must exist and be visible to the principal (404 OUT_OF_SCOPE like a missing one). */
export function programmeVisible(principal: Principal): SQL {
  if (principal.scope === 'subtree') return sql`exists (select 1 from organisations ao where ao.id = p.authority_org_id and ao.path like ${`${principal.orgPath}%`})`;
  return sql`(exists (select 1 from programme_producers pp where pp.programme_id = p.id and pp.org_id = ${principal.orgId}::uuid)
            or exists (select 1 from programme_receivers pr where pr.programme_id = p.id and pr.org_id = ${principal.orgId}::uuid))`;
}
