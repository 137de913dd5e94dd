import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createCmppGateway } from '../../src/modules/notify/cmpp/session.ts';
import type { Gateway } from '../../src/modules/notify/gateway.ts';
import { createHttpGateway } from '../../src/modules/notify/http/gateway.ts';
import { createSmppGateway } from '../../src/modules/notify/smpp/session.ts';
import { collectReceipts, until } from '../../src/modules/notify/simulator/testing.ts';

/* `cardflow sms simulator` as its own process: every protocol on a free port, real clients bound to it. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ACCOUNT = '901234';
const SECRET = 'sim-secret';
const NOTICE = '【常州公安】您的居住证已制作完成，请携带身份证到受理点领取。';
let child: ChildProcess | null = null;
const gateways: Gateway[] = [];

afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop({ graceMs: 100 })));
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

describe('cardflow sms simulator', () => {
  it('listens for SMPP, CMPP and HTTP, answers submits with receipts, and stops on SIGTERM', { timeout: 60_000 }, async () => {
    const args = ['sms', 'simulator', '--smpp-port', '0', '--cmpp-port', '0', '--http-port', '0', '--system-id', ACCOUNT, '--password', SECRET];
    child = spawn(process.execPath, [path.join(ROOT, 'bin/cardflow.js'), ...args, '--receipt-delay', '5', '--failure-rate', '1', '--failure-codes', 'MBBLACK'], {
      env: { ...process.env, CARDFLOW_FROM_SOURCE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    const exited = new Promise<number | null>((resolve) => child!.on('close', resolve));
    await until(() => out.includes('Ctrl-C stops') || child!.exitCode !== null, 45_000);
    expect(child.exitCode, err).toBeNull();
    const portOf = (label: string) => Number(new RegExp(`${label} listening on (?:http://)?127\\.0\\.0\\.1:(\\d+)`).exec(out)?.[1]);
    const smppPort = portOf('SMPP 3.4 SMSC');
    const cmppPort = portOf('CMPP 3.0 ISMG');
    const httpPort = portOf('HTTP provider');
    expect([smppPort, cmppPort, httpPort].every((p) => p > 0)).toBe(true);

    const smpp = createSmppGateway({ name: 'sim-smpp', host: '127.0.0.1', port: smppPort, systemId: ACCOUNT, password: SECRET, sourceAddr: '10657000', messageIds: { submit: 'dec', receipt: 'dec' } });
    const cmpp = createCmppGateway({ name: 'sim-cmpp', host: '127.0.0.1', port: cmppPort, spId: ACCOUNT, sharedSecret: SECRET, serviceId: 'CARDFLOW', srcId: '10657000' });
    const httpGw = createHttpGateway({ name: 'sim-http', url: `http://127.0.0.1:${httpPort}/sms`, account: ACCOUNT, secret: SECRET });
    gateways.push(smpp, cmpp, httpGw);
    const smppReceipts = collectReceipts(smpp);
    const cmppReceipts = collectReceipts(cmpp);
    for (const g of gateways) await g.start();

    const a = await smpp.submit({ to: '13800138000', text: NOTICE, reference: 1 });
    const b = await cmpp.submit({ to: '13800138001', text: NOTICE, reference: 2 });
    const c = await httpGw.submit({ to: '13800138002', text: NOTICE, reference: 3 });
    expect(c.messageIds).toHaveLength(1);
    await until(() => smppReceipts.length === 1 && cmppReceipts.length === 1);
    expect(smppReceipts[0]).toMatchObject({ messageId: a.messageIds[0], status: 'FAILED', stat: 'MBBLACK' });
    expect(cmppReceipts[0]).toMatchObject({ messageId: b.messageIds[0], status: 'FAILED', stat: 'MBBLACK' });

    await Promise.all(gateways.splice(0).map((g) => g.stop({ graceMs: 100 })));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('smpp: 1 submits, 1 accepted, 1 receipts sent, 1 acknowledged');
    expect(out).toContain('http: 1 submits, 1 accepted');
  });

  it('refuses a failure rate outside 0–1', async () => {
    const run = spawn(process.execPath, [path.join(ROOT, 'bin/cardflow.js'), 'sms', 'simulator', '--failure-rate', '2'], { env: { ...process.env, CARDFLOW_FROM_SOURCE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    run.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const code = await new Promise<number | null>((resolve) => run.on('close', resolve));
    expect(code).not.toBe(0);
    expect(err).toContain('between 0 and 1');
  }, 60_000);
});
