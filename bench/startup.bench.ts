import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, startServer, stopServer, type BenchRow } from './support.ts';

/** Process start to /readyz 200 on the embedded engine: empty data directory, then the same one again. */
export async function benchStartup(runs = 3): Promise<BenchRow[]> {
  // Measure what `npm start` runs: the prepared bundle and the install-time database template.
  if (spawnSync(process.execPath, [path.join(ROOT, 'scripts/prepare-start.mjs')], { stdio: 'inherit' }).status !== 0) throw new Error('prepare-start failed');
  const empty: number[] = [];
  const existing: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(path.join(tmpdir(), 'cardflow-bench-start-'));
    const env = { CARDFLOW_DATA_DIR: path.join(dir, 'data'), CARDFLOW_KEY_FILE: path.join(dir, 'keys.json'), CARDFLOW_ADMIN_PASSWORD: 'Bench-password-1' };
    try {
      const first = await startServer(env);
      empty.push(first.readyMs);
      await stopServer(first.child);
      const second = await startServer(env);
      existing.push(second.readyMs);
      await stopServer(second.child);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const e = Math.round(median(empty));
  const x = Math.round(median(existing));
  return [
    { scenario: 'cold start, empty embedded db', metric: `median of ${runs} runs to /readyz`, value: e, unit: 'ms', target: '< 5,000', pass: e < 5000 },
    { scenario: 'cold start, existing embedded db', metric: `median of ${runs} runs to /readyz`, value: x, unit: 'ms', target: '< 2,000', pass: x < 2000 },
  ];
}
