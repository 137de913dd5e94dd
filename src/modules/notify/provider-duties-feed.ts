import { and, gte, inArray, lt, lte } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/engine.ts';
import { addDaysToDate, shanghaiDate, shanghaiInstant } from '../calendar/zone.ts';
import { percent, type Rate } from '../settlement/money.ts';
import { smsFaultReports, smsUsageLists } from './provider-duties-schema.ts';
import { faultOvertime, usageListDueOn } from './provider-duties-rules.ts';

/**
 * What settlement prices of the provider's duties (seed 003 §5.6, §5.7): the usage list of each month
 * starting in `from`..`to`, handed over or, once due, still outstanding (then dated `today`, so the
 * days late count up to the drafting day); and each fault reported in those Shanghai days that went
 * over its limits, with the authority's assessed rate.
 */

export interface SettledUsageList {
  provider: string;
  month: string;
  /** First day of the month the list covers. */
  on: string;
  dueOn: string;
  /** The hand-over date, or `today` while outstanding. */
  submittedOn: string;
  outstanding: boolean;
  providerCaused: boolean;
}

export interface SettledFault {
  id: string;
  faultNo: string;
  provider: string;
  /** The Shanghai date of the report. */
  on: string;
  reportedAt: Date;
  arrivedAt: Date | null;
  clearedAt: Date | null;
  overMinutes: number;
  assessedRate: Rate | null;
}

const nextMonthStart = (date: string) => `${addDaysToDate(`${date.slice(0, 7)}-28`, 4).slice(0, 7)}-01`;

/** First days of the months that start within `from`..`to`. */
function monthStarts(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from.endsWith('-01') ? from : nextMonthStart(from); d <= to; d = nextMonthStart(d)) out.push(d);
  return out;
}

export async function settledProviderDuties(
  db: Queryable,
  q: { providers: readonly string[]; from: string; to: string; now: Date },
): Promise<{ usageLists: SettledUsageList[]; faults: SettledFault[] }> {
  if (q.providers.length === 0) return { usageLists: [], faults: [] };
  const today = shanghaiDate(q.now);
  const starts = monthStarts(q.from, q.to);
  const months = starts.map((d) => d.slice(0, 7));
  const handed =
    months.length === 0
      ? []
      : await db
          .select()
          .from(smsUsageLists)
          .where(and(inArray(smsUsageLists.provider, [...q.providers]), gte(smsUsageLists.month, months[0]!), lte(smsUsageLists.month, months.at(-1)!)));
  const byKey = new Map(handed.map((r) => [`${r.provider}\u0000${r.month}`, r]));
  const usageLists: SettledUsageList[] = [];
  for (const provider of q.providers) {
    for (const month of months) {
      const dueOn = usageListDueOn(month);
      const row = byKey.get(`${provider}\u0000${month}`);
      if (row) usageLists.push({ provider, month, on: `${month}-01`, dueOn, submittedOn: row.handedOverOn, outstanding: false, providerCaused: !row.authorityCaused });
      else if (dueOn < today) usageLists.push({ provider, month, on: `${month}-01`, dueOn, submittedOn: today, outstanding: true, providerCaused: true });
    }
  }

  const rows = await db
    .select()
    .from(smsFaultReports)
    .where(
      and(
        inArray(smsFaultReports.provider, [...q.providers]),
        gte(smsFaultReports.reportedAt, shanghaiInstant(q.from, 0)),
        lt(smsFaultReports.reportedAt, shanghaiInstant(addDaysToDate(q.to, 1), 0)),
      ),
    )
    .orderBy(smsFaultReports.reportedAt, smsFaultReports.faultNo);
  const faults: SettledFault[] = [];
  for (const r of rows) {
    const { overMinutes, overTime } = faultOvertime(r, r, q.now);
    if (!overTime) continue;
    faults.push({
      id: r.id,
      faultNo: r.faultNo,
      provider: r.provider,
      on: shanghaiDate(r.reportedAt),
      reportedAt: r.reportedAt,
      arrivedAt: r.arrivedAt,
      clearedAt: r.clearedAt,
      overMinutes,
      assessedRate: r.assessedPercent === null ? null : percent(r.assessedPercent),
    });
  }
  return { usageLists, faults };
}
