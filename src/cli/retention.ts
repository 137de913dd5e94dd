import type { Command } from 'commander';
import { runRetention, type RetentionCounts } from '../modules/ops/retention-jobs.ts';
import { withPlatform } from './support.ts';

const LABELS: Record<keyof RetentionCounts, string> = {
  personalisationBatches: 'production batches: personalisation data destroyed',
  personalisationRecords: '  records in them',
  personalisationBatchesBySchedulerSincePrevious: 'batches destroyed by the production scheduler since the previous run',
  applicationsMinimised: 'closed applications: personal data minimised',
  applicationPhotosDeleted: '  photos deleted',
  partialBackupFiles: 'half-written backup files deleted',
  restoreTempDirs: 'stale restore directories deleted',
  fileBytes: '  bytes freed by those files',
  counterWindows: 'rate-limit counter windows deleted',
};

export function registerRetentionCommand(program: Command): void {
  program
    .command('retention')
    .description('data retention rules')
    .command('run')
    .description('destroy personalisation data past its time, minimise closed applications past the programme retention, delete stale files; audited with counts')
    .option('--dry-run', 'count what would be removed, change nothing (the run is still recorded and audited as a dry run)')
    .action((o: { dryRun?: boolean }) =>
      withPlatform(async (ctx) => {
        const report = await runRetention(ctx, 'CLI', { dryRun: o.dryRun ?? false });
        process.stdout.write(`retention run ${report.id}${report.dryRun ? ' (dry run: nothing changed, figures are what would be removed)' : ''}\n`);
        for (const [key, label] of Object.entries(LABELS) as [keyof RetentionCounts, string][]) {
          process.stdout.write(`  ${label.padEnd(72)} ${report.counts[key]}\n`);
        }
      }),
    );
}
