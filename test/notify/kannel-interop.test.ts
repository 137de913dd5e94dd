import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { GatewayInbound, SubmitResult } from '../../src/modules/notify/gateway.ts';
import { createSmppGateway } from '../../src/modules/notify/smpp/session.ts';
import { LONG_NOTICE, collectReceipts, until } from '../../src/modules/notify/simulator/testing.ts';

/*
 * Interoperability with an SMPP peer we did not write: Kannel's drive_smpp (Debian kannel-extras), a C
 * test SMSC. It answers transmitter and receiver binds (not transceiver), returns an empty message id
 * for every submit_sm, sends no receipts, sends `-m` mobile-originated messages to the receiver bind
 * (at most 500 ahead of our submits, each followed by an enquire_link) and exits when a client leaves.
 * It runs in a network namespace of its own (kannel-peer.mjs); we reach it through a Unix socket.
 * Outside CI the test is skipped when the package is not installed; in CI a missing binary fails it.
 */
const DRIVE_SMPP = '/usr/lib/kannel/test/drive_smpp';
const PEER_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'kannel-peer.mjs');
/** More than 500, so the last ones wait for our submits: drive_smpp's own flow control is exercised too. */
const MO_COUNT = 600;
const SHORT_NOTICES = 120;
const LONG_NOTICES = 20;

const installed = existsSync(DRIVE_SMPP);
const dir = mkdtempSync(path.join(tmpdir(), 'cardflow-kannel-'));
const cleanup: Array<() => void> = [];

afterAll(() => {
  for (const step of cleanup.reverse()) step();
  rmSync(dir, { recursive: true, force: true });
});

interface PeerExit {
  code: number | null;
  signal: string | null;
  log: string;
}

/** Starts kannel-peer.mjs in a fresh network namespace; resolves once its Unix socket listens. */
async function startPeer(socketPath: string): Promise<{ child: ChildProcess; exited: Promise<PeerExit> }> {
  const child = spawn('unshare', ['-rn', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, PEER_SCRIPT, socketPath, DRIVE_SMPP, String(MO_COUNT)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanup.push(() => {
    if (child.exitCode === null) child.kill('SIGTERM');
  });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<PeerExit>((resolve, reject) => {
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as PeerExit);
      else reject(new Error(`kannel-peer exited with ${code} before drive_smpp did:\n${out}\n${err}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('ready\n')) resolve();
    });
    exited.then(() => reject(new Error(`drive_smpp exited early:\n${out}`)), reject);
  });
  return { child, exited };
}

/** A loopback TCP port that forwards each connection to the peer's Unix socket (the SMPP client speaks TCP). */
async function tcpToUnix(socketPath: string): Promise<number> {
  const server = net.createServer((client) => {
    const upstream = net.connect(socketPath);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => server.close());
  return (server.address() as AddressInfo).port;
}

/** "INFO: Number of messages sent to SMSC: 180" → 180, from drive_smpp's closing summary. */
function counted(log: string, what: string): number {
  const m = new RegExp(`Number of messages sent to ${what}: (\\d+)`).exec(log);
  if (!m) throw new Error(`drive_smpp printed no count for ${what}:\n${log}`);
  return Number(m[1]);
}

describe.skipIf(!installed && !process.env.CI)('SMPP interoperability with Kannel drive_smpp', () => {
  it('binds transmitter and receiver, submits with empty message ids, and receives every MO message', { timeout: 60_000 }, async () => {
    expect(installed, `${DRIVE_SMPP} is missing: install Debian's kannel-extras`).toBe(true);
    const socketPath = path.join(dir, 'drive_smpp.sock');
    const peer = await startPeer(socketPath);
    const port = await tcpToUnix(socketPath);

    const gateway = createSmppGateway({
      name: 'kannel',
      host: '127.0.0.1',
      port,
      systemId: 'cardflow',
      password: 'secret',
      sourceAddr: '10657000',
      binds: ['transmitter', 'receiver'],
      link: { window: 10, responseTimeoutMs: 5_000, reconnect: { minMs: 60_000, maxMs: 60_000 } },
    });
    const inbound: GatewayInbound[] = [];
    gateway.onInbound((sms) => {
      inbound.push(sms);
    });
    const receipts = collectReceipts(gateway);
    await gateway.start();
    await until(() => gateway.health().state === 'up', 10_000);

    const sends: Array<Promise<SubmitResult>> = [];
    for (let i = 0; i < SHORT_NOTICES; i++) sends.push(gateway.submit({ to: `1380013${String(i).padStart(4, '0')}`, text: `【常州公安】您的居住证已可领取，编号 ${i}。`, reference: i % 256 }));
    for (let i = 0; i < LONG_NOTICES; i++) sends.push(gateway.submit({ to: `1390013${String(i).padStart(4, '0')}`, text: LONG_NOTICE, reference: i }));
    const results = await Promise.all(sends);
    const segments = results.reduce((sum, r) => sum + r.segments, 0);
    expect(segments).toBe(SHORT_NOTICES + LONG_NOTICES * 3);
    // drive_smpp answers every submit_sm with ESME_ROK and an empty id: accepted, with nothing to match receipts on.
    for (const r of results) expect(r.messageIds).toEqual(Array.from({ length: r.segments }, () => ''));

    await until(() => inbound.length === MO_COUNT, 30_000);
    expect(inbound.map((m) => m.text)).toEqual(Array.from({ length: MO_COUNT }, (_, i) => String(i + 1)));
    expect(inbound.every((m) => m.from === '456' && m.to === '123' && m.concat === null)).toBe(true);
    // Its MO messages carry a receipted_message_id TLV; they must not be read as (broken) receipts.
    expect(receipts).toEqual([]);
    expect(gateway.metrics()).toMatchObject({ submitted: segments, receiptErrors: 0, failed: { NOT_SENT: 0, UNKNOWN: 0, REFUSED: 0 } });

    await gateway.stop({ graceMs: 2_000 });
    const exit = await peer.exited;
    expect(exit.code, exit.log).toBe(0);
    expect(counted(exit.log, 'SMSC')).toBe(segments);
    expect(counted(exit.log, 'ESME')).toBe(MO_COUNT);
  });
});
