import { pathToFileURL } from 'node:url';
import { buildCalendar, parseSegments } from '../src/modules/calendar/rules.ts';
import { officialDaysFromChineseDays } from '../src/modules/calendar/seed-data.ts';
import { deadlineFrom, ticketClocks, ticketSlaFor, type SlaPolicy, type StatusEvent, type TicketSla } from '../src/modules/maintenance/sla.ts';
import { printTable, type BenchRow } from './support.ts';

const TICKETS = 100_000;
const MS_PER_MINUTE = 60_000;

/**
 * Mixed calendars: outlets with office hours, with a lunch break, open on Saturday mornings' hours, and
 * the 7×24 core system; urban and suburban allowances; opening instants spread over 2025–2026 so that
 * holidays, make-up working days, nights and weekends all occur.
 */
function tickets(): { sla: TicketSla; openedAt: Date }[] {
  const shanghai: SlaPolicy = { clock: 'WORKING', responseTarget: 'ACKNOWLEDGED', responseMinutes: { URBAN: 120, SUBURBAN: 180 }, fixMinutes: { URBAN: 480, SUBURBAN: 600 }, warnPercent: 75 };
  const core: SlaPolicy = { clock: 'ROUND_THE_CLOCK', responseTarget: 'ON_SITE', responseMinutes: { URBAN: 120, SUBURBAN: 120 }, fixMinutes: { URBAN: 240, SUBURBAN: 240 }, warnPercent: 75 };
  const hours = [parseSegments('09:00-17:00'), parseSegments('09:00-12:00,13:00-17:00'), parseSegments('08:30-11:30,13:30-17:30'), parseSegments('10:00-18:00')];
  const slas: TicketSla[] = [];
  for (const segments of hours) for (const zone of ['URBAN', 'SUBURBAN'] as const) slas.push(ticketSlaFor(shanghai, zone, segments));
  slas.push(ticketSlaFor(core, 'URBAN', hours[0]!));
  const from = Date.parse('2025-01-01T00:00:00+08:00');
  const span = Date.parse('2026-12-20T00:00:00+08:00') - from;
  const out: { sla: TicketSla; openedAt: Date }[] = [];
  // A fixed linear congruential sequence: the same tickets on every run.
  let x = 12345;
  for (let i = 0; i < TICKETS; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push({ sla: slas[i % slas.length]!, openedAt: new Date(from + Math.floor((x / 2147483648) * (span / MS_PER_MINUTE)) * MS_PER_MINUTE) });
  }
  return out;
}

export function benchMaintenanceSla(): BenchRow[] {
  const official = officialDaysFromChineseDays();
  const cal = buildCalendar(official.days, official.years);
  const all = tickets();
  for (let i = 0; i < 2000; i++) deadlineFrom(cal, all[i]!.sla, all[i]!.openedAt, all[i]!.sla.responseMinutes);

  const t0 = performance.now();
  for (const { sla, openedAt } of all) deadlineFrom(cal, sla, openedAt, sla.responseMinutes);
  const deadlinesMs = performance.now() - t0;

  // Full clocks from a status history with a pause: acknowledged after 30 min, waiting 2 h from the 1 h mark, resumed.
  const histories = all.map(({ openedAt }) => {
    const at = (minutes: number) => new Date(openedAt.getTime() + minutes * MS_PER_MINUTE);
    return [
      { status: 'NEW', at: openedAt },
      { status: 'ACKNOWLEDGED', at: at(30) },
      { status: 'ON_SITE', at: at(45) },
      { status: 'WAITING', at: at(60) },
      { status: 'ON_SITE', at: at(180) },
    ] satisfies StatusEvent[];
  });
  const t1 = performance.now();
  for (let i = 0; i < all.length; i++) {
    const { sla, openedAt } = all[i]!;
    ticketClocks(cal, sla, histories[i]!, new Date(openedAt.getTime() + 300 * MS_PER_MINUTE));
  }
  const clocksMs = performance.now() - t1;

  const deadlines = Math.round(deadlinesMs);
  const clocks = Math.round(clocksMs);
  return [
    { scenario: 'maintenance SLA (1 core)', metric: `response deadlines of ${TICKETS.toLocaleString('en')} tickets, mixed calendars`, value: deadlines, unit: 'ms', target: '< 1,000', pass: deadlines < 1000 },
    { scenario: 'maintenance SLA (1 core)', metric: `response + fix clocks of ${TICKETS.toLocaleString('en')} tickets from a status history with a pause`, value: clocks, unit: 'ms', target: '(info)', pass: true },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) printTable('maintenance-sla', benchMaintenanceSla());
