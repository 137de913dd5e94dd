import { collectDefaultMetrics, Counter, Registry } from 'prom-client';

/**
 * Process-wide metrics: what background jobs report wherever they run, and Node's own process figures.
 * Per-application metrics (requests, queues, SLA counts) live in the HTTP layer's registry and are
 * merged with these at scrape time.
 */
export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry, prefix: 'cardflow_' });

const jobFailures = new Counter({
  name: 'cardflow_job_failures_total',
  help: 'Background job runs that failed, by job',
  labelNames: ['job'] as const,
  registers: [processRegistry],
});

const jobRuns = new Counter({
  name: 'cardflow_job_runs_total',
  help: 'Background job runs, by job and outcome',
  labelNames: ['job', 'outcome'] as const,
  registers: [processRegistry],
});

/** Background jobs call this after each run, so that a job failing quietly shows on the dashboard. */
export function recordJobRun(job: string, ok: boolean): void {
  jobRuns.inc({ job, outcome: ok ? 'ok' : 'failed' });
  if (!ok) jobFailures.inc({ job });
}

export interface JobRunCount {
  job: string;
  ok: number;
  failed: number;
}

/** Runs per job counted in this process since it started, for the status page. */
export async function jobRunCounts(): Promise<JobRunCount[]> {
  const byJob = new Map<string, JobRunCount>();
  for (const v of (await jobRuns.get()).values) {
    const job = String(v.labels.job);
    const row = byJob.get(job) ?? { job, ok: 0, failed: 0 };
    if (v.labels.outcome === 'ok') row.ok += v.value;
    else row.failed += v.value;
    byJob.set(job, row);
  }
  return [...byJob.values()].sort((a, b) => a.job.localeCompare(b.job));
}
