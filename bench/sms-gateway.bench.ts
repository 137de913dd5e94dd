import { pathToFileURL } from 'node:url';
import { createCmppGateway } from '../src/modules/notify/cmpp/session.ts';
import type { Gateway } from '../src/modules/notify/gateway.ts';
import { startSimulator, type Simulator } from '../src/modules/notify/simulator/index.ts';
import { createSmppGateway } from '../src/modules/notify/smpp/session.ts';
import { printTable, type BenchRow } from './support.ts';

const MESSAGES = 5_000;
/** Submits the bench keeps outstanding, as a dispatcher working through a batch would. */
const CONCURRENCY = 200;
const ACCOUNT = { id: '901234', secret: 'bench-secret' };
const FLOOR = 200;

/**
 * Card-ready notices (one UCS-2 segment each) through each protocol's gateway to the in-process
 * simulator, which answers every submit and sends a receipt 5 ms later. Two binds with a window of
 * 10 each, as a real SMSC needs (about 100–150 msg/s per connection). Client and simulator share the
 * same cores, so the figures are a floor for the client. The contract asks for ≥ 200 msg/s.
 */
export async function benchSmsGateway(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const protocol of ['smpp', 'cmpp'] as const) {
    const sim = await startSimulator({ protocol, port: 0, accounts: [ACCOUNT], receipts: { delayMs: 5 } });
    const gateway = build(protocol, sim);
    const submitted = new Set<string>();
    const receiptIds: string[] = [];
    let receipts = 0;
    gateway.onReceipt((r) => {
      receipts++;
      receiptIds.push(r.messageId);
    });
    await gateway.start();
    const warmUp = 200 - (await send(gateway, 200, new Set()));
    await waitFor(() => receipts >= warmUp, 10_000);
    receipts = 0;
    receiptIds.length = 0;
    const t0 = performance.now();
    const failures = await send(gateway, MESSAGES, submitted);
    const submitMs = performance.now() - t0;
    await waitFor(() => receipts >= MESSAGES - failures, 60_000);
    const totalMs = performance.now() - t0;
    await gateway.stop();
    const matched = new Set(receiptIds.filter((id) => submitted.has(id))).size;
    await sim.stop();
    const submitRate = Math.round(MESSAGES / (submitMs / 1000));
    const endToEnd = Math.round(receipts / (totalMs / 1000));
    const scenario = `${protocol.toUpperCase()} gateway → simulator (2 binds × window 10)`;
    rows.push(
      { scenario, metric: `${MESSAGES.toLocaleString('en')} notices submitted`, value: submitRate, unit: 'msg/s', target: `≥ ${FLOOR}`, pass: submitRate >= FLOOR },
      { scenario, metric: 'submitted with every receipt back', value: endToEnd, unit: 'msg/s', target: `≥ ${FLOOR}`, pass: endToEnd >= FLOOR },
      { scenario, metric: 'receipts matched to a submit id, once each', value: Math.round((matched / MESSAGES) * 1000) / 10, unit: '%', target: '100', pass: matched === MESSAGES && receipts === MESSAGES },
    );
  }
  return rows;
}

function build(protocol: 'smpp' | 'cmpp', sim: Simulator): Gateway {
  const common = { name: `bench-${protocol}`, host: '127.0.0.1', port: sim.port, link: { window: 10 } };
  return protocol === 'smpp'
    ? createSmppGateway({ ...common, systemId: ACCOUNT.id, password: ACCOUNT.secret, sourceAddr: '10690000', binds: ['transceiver', 'transceiver'] })
    : createCmppGateway({ ...common, spId: ACCOUNT.id, sharedSecret: ACCOUNT.secret, serviceId: 'CARDNOTICE', srcId: '1065712345', connections: 2 });
}

async function waitFor(condition: () => boolean, limitMs: number): Promise<void> {
  const until = performance.now() + limitMs;
  while (!condition() && performance.now() < until) await new Promise((r) => setTimeout(r, 5));
}

/** Sends `count` notices with CONCURRENCY outstanding, adding their ids to `ids`; returns how many failed. */
async function send(gateway: Gateway, count: number, ids: Set<string>): Promise<number> {
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const to = `138${String(i % 100_000_000).padStart(8, '0')}`;
      await gateway.submit({ to, text: '【常州公安】您的居住证已制作完成，请携带身份证到受理点领取。', reference: i & 0xff }).then(
        (r) => r.messageIds.forEach((id) => ids.add(id)),
        () => failures++,
      );
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return failures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) printTable('sms', await benchSmsGateway());
