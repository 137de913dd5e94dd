import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import type { AppContext } from '../platform/context.ts';
import { appendAudit } from '../platform/audit/service.ts';
import { checkDailyExport, dailyExportRows, writeCsv, writeXlsx } from '../modules/reports/export.ts';
import { cliPrincipal, fail, withPlatform } from './support.ts';

export interface DailyExportOptions {
  date: string;
  programme?: string;
  format: string;
  out: string;
}

/** Writes the daily write-back export of one Shanghai calendar day to a file; returns the row count. */
export async function exportDailyToFile(ctx: AppContext, o: DailyExportOptions): Promise<number> {
  if (o.format !== 'csv' && o.format !== 'xlsx') fail(`--format must be csv or xlsx, not ${o.format}`);
  const principal = await cliPrincipal(ctx);
  const query = { date: o.date, programmeId: o.programme };
  await checkDailyExport(ctx, principal, query);
  const file = createWriteStream(o.out);
  const rows = dailyExportRows(ctx, principal, query);
  const count = o.format === 'csv' ? await writeCsv(rows, file) : await writeXlsx(rows, file, o.date);
  await finished(file);
  // The CLI writes its own audit entry: it does not pass through the HTTP layer that audits centrally.
  await appendAudit(ctx, { actorType: 'CLI', actorName: 'cli', action: 'export.daily', outcome: 'SUCCESS', details: { date: o.date, programmeId: o.programme ?? null, format: o.format, rows: count } });
  return count;
}

/** `cardflow export daily --date … [--programme …] --format csv|xlsx --out FILE` */
export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('write-back exports for the population system')
    .command('daily')
    .description('production and issuance events of one Shanghai calendar day (no personal data), as CSV (UTF-8 with BOM) or XLSX')
    .requiredOption('--date <YYYY-MM-DD>', 'the calendar day (Asia/Shanghai)')
    .option('--programme <id>', 'only this programme')
    .option('--format <csv|xlsx>', 'file format', 'csv')
    .requiredOption('--out <file>', 'where to write the file')
    .action((o: DailyExportOptions) =>
      withPlatform(async (ctx) => {
        const count = await exportDailyToFile(ctx, o);
        process.stdout.write(`wrote ${count} events of ${o.date} to ${o.out}\n`);
      }),
    );
}
