import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ClusterProcess {
  role: 'api' | 'worker';
  child: ChildProcess;
  /** Loopback URL of an API process (workers do not listen). */
  url: string | null;
  output(): string;
}

export interface Cluster {
  /** The round-robin proxy in front of the API processes (what a browser or client uses). */
  url: string;
  apiUrls: string[];
  databaseUrl: string;
  env: NodeJS.ProcessEnv;
  processes: ClusterProcess[];
  /** Requests the proxy sent to each API process, in the order of apiUrls. */
  forwarded: number[];
  /** Requests the proxy could not forward (an API process refused or died). */
  proxyErrors: number;
  /** Answers with a 5xx status, by method and path. */
  serverErrors: string[];
  stop(): Promise<void>;
}

export interface ClusterOptions {
  apis?: number;
  workers?: number;
  /** Extra environment for every process (limits, log level). */
  env?: Record<string, string>;
  adminPassword: string;
  /** PostgreSQL URL of a database the cluster's own database is created from (default: DATABASE_URL or the local test server). */
  adminUrl?: string;
  /** Called with the migrated, empty database before the processes start (seeding through the CLI). */
  beforeStart?: (env: NodeJS.ProcessEnv) => Promise<void> | void;
}

async function adminQuery(adminUrl: string, query: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = http.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Runs `cardflow <args>` to completion with the cluster's environment; throws with its output if it fails. */
export function cardflowSync(env: NodeJS.ProcessEnv, ...args: string[]): string {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'bin/cardflow.js'), ...args], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`cardflow ${args.join(' ')} failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

function spawnRole(env: NodeJS.ProcessEnv, role: 'api' | 'worker', port: number | null): ClusterProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/cardflow.js'), 'serve', '--role', role], {
    cwd: ROOT,
    env: { ...env, ...(port === null ? {} : { PORT: String(port) }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { role, child, url: port === null ? null : `http://127.0.0.1:${port}`, output: () => out };
}

async function waitApiReady(p: ClusterProcess, deadlineMs: number): Promise<void> {
  for (;;) {
    if (p.child.exitCode !== null) throw new Error(`cardflow serve --role ${p.role} exited (${p.child.exitCode}):\n${p.output()}`);
    if (Date.now() > deadlineMs) throw new Error(`cardflow serve --role ${p.role} not ready:\n${p.output()}`);
    try {
      if ((await fetch(`${p.url}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Ends a process with SIGTERM (graceful shutdown) and waits for it; SIGKILL if it hangs. */
export async function terminate(child: ChildProcess, graceMs = 20_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

/**
 * The production layout on one machine: a fresh PostgreSQL database, migrated once, then `apis` processes
 * of `cardflow serve --role api` and `workers` of `--role worker`, with a round-robin HTTP proxy (the
 * part nginx plays in production) in front of the API processes. Every request goes to the next API
 * process, so consecutive requests of one browser session land on different processes.
 */
export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const adminUrl = opts.adminUrl ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const dbName = `cardflow_cluster_${randomBytes(6).toString('hex')}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'cardflow-cluster-'));
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    CARDFLOW_KEY_FILE: path.join(dir, 'keys.json'),
    CARDFLOW_BACKUP_DIR: path.join(dir, 'backups'),
    CARDFLOW_ADMIN_PASSWORD: opts.adminPassword,
    CARDFLOW_LOG_LEVEL: 'warn',
    // Several processes sign in clients that the proxy shows as one address.
    CARDFLOW_TRUST_PROXY: 'true',
    ...opts.env,
  };
  delete env.CARDFLOW_DATA_DIR;
  delete env.CARDFLOW_CONFIG;
  await adminQuery(adminUrl, `create database ${dbName}`);
  const processes: ClusterProcess[] = [];
  let proxy: http.Server | null = null;
  // Should the caller die or time out without stop(), the processes go with it.
  const orphans = () => {
    for (const p of processes) p.child.kill('SIGKILL');
  };
  process.once('exit', orphans);
  const stop = async () => {
    process.off('exit', orphans);
    await Promise.all(processes.map((p) => terminate(p.child)));
    if (proxy) await new Promise((r) => proxy!.close(r));
    await adminQuery(adminUrl, `drop database if exists ${dbName} with (force)`);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // Migrates and creates the first admin once, so the processes do not race for it.
    cardflowSync(env, 'migrate');
    await opts.beforeStart?.(env);
    for (let i = 0; i < (opts.apis ?? 2); i++) processes.push(spawnRole(env, 'api', await freePort()));
    for (let i = 0; i < (opts.workers ?? 2); i++) processes.push(spawnRole(env, 'worker', null));
    const deadline = Date.now() + 300_000;
    for (const p of processes.filter((x) => x.role === 'api')) await waitApiReady(p, deadline);
    // A worker does not listen; it is up when it has not exited by the time the API processes answer.
    for (const p of processes.filter((x) => x.role === 'worker')) {
      if (p.child.exitCode !== null) throw new Error(`cardflow serve --role worker exited (${p.child.exitCode}):\n${p.output()}`);
    }
    const apiUrls = processes.filter((p) => p.url).map((p) => p.url!);
    const targets = apiUrls.map((u) => new URL(u));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    const cluster: Cluster = { url: '', apiUrls, databaseUrl, env, processes, forwarded: apiUrls.map(() => 0), proxyErrors: 0, serverErrors: [], stop };
    let next = 0;
    proxy = http.createServer((req, res) => {
      const i = next;
      next = (next + 1) % targets.length;
      cluster.forwarded[i]! += 1;
      const target = targets[i]!;
      const forwardedFor = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
      const upstream = http.request(
        { agent, host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, 'x-forwarded-for': forwardedFor } },
        (answer) => {
          if ((answer.statusCode ?? 502) >= 500) cluster.serverErrors.push(`${answer.statusCode} ${req.method} ${req.url}`);
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        cluster.proxyErrors += 1;
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      req.pipe(upstream);
    });
    const proxyPort = await new Promise<number>((resolve) => proxy!.listen(0, '127.0.0.1', () => resolve((proxy!.address() as AddressInfo).port)));
    cluster.url = `http://127.0.0.1:${proxyPort}`;
    return cluster;
  } catch (err) {
    await stop();
    throw err;
  }
}
