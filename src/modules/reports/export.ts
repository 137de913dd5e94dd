import { PassThrough, type Writable } from 'node:stream';
import { once } from 'node:events';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { AppContext } from '../../platform/context.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { addDaysToDate, shanghaiInstant } from '../calendar/zone.ts';
import { cardScope, checkDate, programmeFilter } from './scope.ts';
import { requireProgramme } from './stats.ts';

/** Card events that carry production and issuance information (the ORDERED creation event does not). */
export const EXPORT_EVENT_TYPES = ['PRODUCE', 'WASTE', 'SHIP', 'RECEIVE', 'REPORT_DAMAGED', 'REPORT_MISSING', 'ISSUE', 'REPORT_LOSS_TEMP', 'REPORT_LOSS_FORMAL', 'LIFT_LOSS', 'CANCEL'] as const;

/** Column keys (the CSV header, for machines) and their Chinese titles (the XLSX header, for people). */
export const EXPORT_COLUMNS = [
  ['seq', '事件序号'],
  ['applicationNo', '申请编号'],
  ['programmeKind', '证件类型'],
  ['cardNo', '卡号'],
  ['batchNo', '批次号'],
  ['event', '事件'],
  ['fromStatus', '原状态'],
  ['toStatus', '新状态'],
  ['at', '时间'],
  ['orgName', '办理机构'],
  ['wasteCause', '废卡责任方'],
] as const;

export type ExportRow = [number, string, string, string, string, string, string, string, string, string, string];

export interface DailyExportQuery {
  date: string;
  programmeId?: string;
}

const PAGE = 5000;

/** An instant as Shanghai local time with its offset, e.g. 2026-11-22T10:39:05+08:00. */
export function shanghaiIso(instant: Date): string {
  return `${new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

/** Checks the request before anything is streamed, so a bad date or programme still answers a clean error. */
export async function checkDailyExport(ctx: AppContext, principal: Principal, q: DailyExportQuery): Promise<void> {
  checkDate(q.date);
  if (q.programmeId) await requireProgramme(ctx, principal, q.programmeId);
}

/**
 * The rows of one Shanghai calendar day in event order, read 5,000 at a time by sequence number so a
 * day with 100,000 events never sits in memory at once. No personal data: the population system
 * matches by application number.
 */
export async function* dailyExportRows(ctx: AppContext, principal: Principal, q: DailyExportQuery): AsyncGenerator<ExportRow[]> {
  const start = shanghaiInstant(checkDate(q.date), 0);
  const end = shanghaiInstant(addDaysToDate(q.date, 1), 0);
  const types = sql.join(
    EXPORT_EVENT_TYPES.map((t) => sql`${t}`),
    sql`, `,
  );
  let after = 0;
  for (;;) {
    const rows = await ctx.db.rows<{
      seq: number | string;
      application_no: string;
      card_kind: string;
      card_no: string | null;
      batch_no: string | null;
      type: string;
      from_status: string | null;
      to_status: string;
      at: Date | string;
      org_name: string | null;
      waste_cause: string | null;
    }>(
      null,
      sql`select e.seq, a.application_no, c.card_kind, c.card_no, b.batch_no, e.type, e.from_status, e.to_status, e.at, o.name as org_name,
                 case when e.type = 'WASTE' then c.waste_cause end as waste_cause
            from card_events e
            join card_attempts c on c.id = e.card_id
            join programmes p on p.id = e.programme_id
            join applications a on a.id = e.application_id
            left join production_batches b on b.id = c.batch_id
            left join organisations o on o.id = e.org_id
           where e.at >= ${start.toISOString()}::timestamptz and e.at < ${end.toISOString()}::timestamptz
             and e.type in (${types})
             and e.seq > ${after}
             and ${programmeFilter('e', q.programmeId)}
             and ${cardScope(principal)}
           order by e.seq
           limit ${PAGE}`,
    );
    if (rows.length === 0) return;
    yield rows.map((r): ExportRow => [
      Number(r.seq),
      r.application_no,
      r.card_kind,
      r.card_no ?? '',
      r.batch_no ?? '',
      r.type,
      r.from_status ?? '',
      r.to_status,
      shanghaiIso(new Date(r.at)),
      r.org_name ?? '',
      r.waste_cause ?? '',
    ]);
    after = Number(rows[rows.length - 1]!.seq);
    if (rows.length < PAGE) return;
  }
}

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function write(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** CSV in UTF-8 with a byte order mark (without it Excel on Windows shows the Chinese as mojibake). */
export async function writeCsv(rows: AsyncIterable<ExportRow[]>, out: Writable): Promise<number> {
  let count = 0;
  await write(out, Buffer.from([0xef, 0xbb, 0xbf]));
  await write(out, `${EXPORT_COLUMNS.map(([k]) => k).join(',')}\r\n`);
  for await (const page of rows) {
    await write(out, page.map((r) => `${r.map(csvField).join(',')}\r\n`).join(''));
    count += page.length;
  }
  out.end();
  return count;
}

/** XLSX through exceljs's streaming writer: each row is flushed as it is added. */
export async function writeXlsx(rows: AsyncIterable<ExportRow[]>, out: Writable, sheetName: string): Promise<number> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = wb.addWorksheet(sheetName);
  sheet.addRow(EXPORT_COLUMNS.map(([, title]) => title)).commit();
  let count = 0;
  for await (const page of rows) {
    for (const r of page) sheet.addRow(r).commit();
    count += page.length;
  }
  sheet.commit();
  await wb.commit();
  return count;
}

/**
 * The day's export as a stream for an HTTP answer; the rows are produced while the client reads.
 * A failure half-way destroys the stream (the client sees a broken download, never a partial file
 * that looks complete).
 */
export function dailyExportStream(ctx: AppContext, principal: Principal, q: DailyExportQuery, format: 'csv' | 'xlsx'): PassThrough {
  const out = new PassThrough();
  const rows = dailyExportRows(ctx, principal, q);
  const run = format === 'csv' ? writeCsv(rows, out) : writeXlsx(rows, out, q.date);
  run.catch((err: unknown) => {
    ctx.logger.error({ err, date: q.date }, 'daily export failed');
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return out;
}
