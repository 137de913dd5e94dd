import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { useLifecycle } from './lifecycle.ts';
import { residencePermitSteps } from './lifecycle-rp-flow.ts';
import { startCluster, type Cluster } from './cluster.ts';
import { ADMIN_PASSWORD, ROOT } from './server.ts';

/**
 * The production layout on the local PostgreSQL: two `serve --role api` processes behind a round-robin
 * proxy and two `serve --role worker` processes. Every request of the browser goes to the next API
 * process, so a session made by one process is used on the other, and a page's reads and writes are
 * split between them: the residence-permit flow must pass as it does on one process.
 */
describe('two API processes and two workers on PostgreSQL run the residence-permit flow', () => {
  let cluster: Cluster | undefined;
  const browserErrors: string[] = [];
  // The console and server bundle first, in a hook of its own: on a busy machine the build alone takes minutes.
  beforeAll(() => {
    const prepared = spawnSync(process.execPath, [path.join(ROOT, 'scripts/prepare-start.mjs')], { cwd: ROOT, stdio: 'inherit' });
    if (prepared.status !== 0) throw new Error('building the console or the server bundle failed');
  }, 600_000);
  const world = useLifecycle('mp-rp', async () => {
    cluster = await startCluster({ apis: 2, workers: 2, adminPassword: ADMIN_PASSWORD });
    return { url: cluster.url, stop: () => cluster!.stop() };
  }, 600_000); // migrating and starting four processes takes minutes on a busy 2-core machine

  beforeAll(() => {
    world.flow.page.on('pageerror', (err) => {
      // The flow submits forms that must be refused (handover without the identity check): antd's
      // validateFields then rejects with a plain object, which the page leaves to the browser. Errors
      // are real Error objects with a stack.
      if (!err.stack) return;
      browserErrors.push(`${world.flow.page.url()}: ${err.name} ${err.message}\n${err.stack}`);
    });
    world.flow.page.on('response', (res) => {
      if (res.status() >= 500) browserErrors.push(`${res.status()} ${res.url()}`);
    });
  });

  residencePermitSteps(world);

  it('spread the requests over both API processes with no error, and every process is still up', () => {
    const c = cluster!;
    expect(c.forwarded).toHaveLength(2);
    for (const n of c.forwarded) expect(n).toBeGreaterThan(50);
    expect(c.proxyErrors).toBe(0);
    expect(c.serverErrors).toEqual([]);
    expect(browserErrors).toEqual([]);
    for (const p of c.processes) {
      expect(p.child.exitCode, `${p.role}:\n${p.output()}`).toBeNull();
      // Logged at warn level and above only: an error line means something failed on the server side.
      expect(p.output(), p.role).not.toMatch(/"level":(50|60)/);
    }
    expect(c.processes.map((p) => p.role).sort()).toEqual(['api', 'api', 'worker', 'worker']);
  });
});
