import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHOTS = path.join(ROOT, 'test-results');
export const ADMIN_PASSWORD = 'Admin-password-1';

export interface RunningServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** What `npm start` does (build if stale, then `cardflow serve`) on a fresh embedded database in a temporary directory; `env` adds settings. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const prepared = spawnSync(process.execPath, [path.join(ROOT, 'scripts/prepare-start.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (prepared.status !== 0) throw new Error('building the console or the server bundle failed');
  const dir = mkdtempSync(path.join(tmpdir(), 'cardflow-e2e-'));
  const port = 21000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/cardflow.js'), 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      CARDFLOW_DATA_DIR: path.join(dir, 'data'),
      CARDFLOW_KEY_FILE: path.join(dir, 'keys.json'),
      CARDFLOW_BACKUP_DIR: path.join(dir, 'backups'),
      CARDFLOW_ADMIN_PASSWORD: ADMIN_PASSWORD,
      CARDFLOW_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 150_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready:\n${output}`);
    }
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Picks an option of an antd Select / TreeSelect identified by its test id. */
export async function choose(page: Page, testId: string, optionText: string): Promise<void> {
  await page.getByTestId(testId).click();
  const option = page.locator('.ant-select-dropdown:visible').locator('.ant-select-item-option, .ant-select-tree-treenode').filter({ hasText: optionText }).first();
  await option.click();
}

export interface ApiSession {
  cookie: string;
  csrf: string;
}

/** Signs in through the API, for setting up what a browser test is not about. */
export async function apiLogin(url: string, username: string, password: string): Promise<ApiSession> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('cf_session='))!.split(';')[0]!;
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

export async function api<T>(url: string, session: ApiSession, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A real 358×441 JPEG between 15 and 100 KB, drawn by the browser itself (no image files in the repo). */
export async function makeApplicantPhoto(page: Page): Promise<Buffer> {
  // A string, not a function: this file is type-checked without the DOM library.
  const dataUrl = await page.evaluate<string>(`(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 358;
    canvas.height = 441;
    const g = canvas.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, 358, 441);
    let seed = 7;
    for (let i = 0; i < 9000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      g.fillStyle = 'hsl(' + (seed % 360) + ',60%,' + (40 + (seed % 40)) + '%)';
      g.fillRect(seed % 358, (seed >> 9) % 441, 3, 3);
    }
    return canvas.toDataURL('image/jpeg', 0.7);
  })()`);
  return Buffer.from(dataUrl.split(',')[1]!, 'base64');
}
