import { InvalidArgumentError, Option, type Command } from 'commander';
import { appendAudit } from '../platform/audit/service.ts';
import { decideInDoubt, IN_DOUBT_DECISIONS, type InDoubtDecision } from '../modules/notify/in-doubt.ts';
import { listMessages } from '../modules/notify/messages-query.ts';
import { startSimulator, type Simulator, type SimulatorOptions } from '../modules/notify/simulator/index.ts';
import { HTTP_SUBMIT_PATH } from '../modules/notify/simulator/http-provider.ts';
import { cliPrincipal, fail, withPlatform } from './support.ts';

export interface SmsSimulatorOptions {
  host: string;
  smppPort?: number;
  cmppPort?: number;
  httpPort?: number;
  systemId: string;
  password: string;
  receiptDelay: number;
  failureRate: number;
  failureCodes: string[];
  seed: number;
  cmppVersion: '2.0' | '3.0';
  messageIds: 'hex' | 'dec';
  callbackUrl?: string;
}

/** What `cardflow sms simulator` started: one simulator per protocol asked for. */
export interface RunningSimulators {
  simulators: Array<{ protocol: SimulatorOptions['protocol']; sim: Simulator }>;
  /** One line per listener, as printed. */
  lines: string[];
  stop(): Promise<void>;
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535) throw new InvalidArgumentError('a port number 0–65535 (0 picks a free one)');
  return n;
}

function whole(value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw new InvalidArgumentError('a whole number');
  return Number(value);
}

function rate(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('a share between 0 and 1, e.g. 0.02');
  return n;
}

function stats(value: string): string[] {
  const codes = value.split(',').map((c) => c.trim().toUpperCase());
  if (codes.some((c) => !/^[A-Z0-9:_]{1,7}$/.test(c))) throw new InvalidArgumentError('comma-separated stat values of at most 7 characters, e.g. UNDELIV,MBBLACK,MK:0001');
  return codes;
}

/** Starts the simulators; with no port option, SMPP on 2775. */
export async function startSmsSimulators(o: SmsSimulatorOptions): Promise<RunningSimulators> {
  const wanted: Array<[SimulatorOptions['protocol'], number]> = [];
  if (o.smppPort !== undefined) wanted.push(['smpp', o.smppPort]);
  if (o.cmppPort !== undefined) wanted.push(['cmpp', o.cmppPort]);
  if (o.httpPort !== undefined) wanted.push(['http', o.httpPort]);
  if (wanted.length === 0) wanted.push(['smpp', 2775]);
  const running: RunningSimulators['simulators'] = [];
  const lines: string[] = [];
  const receipts = { delayMs: o.receiptDelay, failureRate: o.failureRate, failureStats: o.failureCodes, seed: o.seed };
  try {
    for (const [protocol, p] of wanted) {
      const sim = await startSimulator({
        protocol,
        host: o.host,
        port: p,
        accounts: [{ id: o.systemId, secret: o.password }],
        receipts,
        messageIds: { submit: o.messageIds, receipt: o.messageIds },
        cmppVersion: o.cmppVersion === '2.0' ? 0x20 : 0x30,
        callbackUrl: o.callbackUrl,
      });
      running.push({ protocol, sim });
      lines.push(describe(protocol, o, sim.port));
    }
  } catch (e) {
    await Promise.all(running.map((r) => r.sim.stop()));
    throw e;
  }
  return {
    simulators: running,
    lines,
    stop: async () => {
      await Promise.all(running.map((r) => r.sim.stop()));
    },
  };
}

function describe(protocol: SimulatorOptions['protocol'], o: SmsSimulatorOptions, p: number): string {
  const at = `${o.host}:${p}`;
  if (protocol === 'smpp') return `SMPP 3.4 SMSC listening on ${at} (system_id ${o.systemId}, message ids ${o.messageIds})`;
  if (protocol === 'cmpp') return `CMPP ${o.cmppVersion} ISMG listening on ${at} (Source_Addr ${o.systemId})`;
  return `HTTP provider listening on http://${at}${HTTP_SUBMIT_PATH} (account ${o.systemId}${o.callbackUrl ? `, receipts to ${o.callbackUrl}` : ', receipts to each submit\'s callbackUrl'})`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decision(value: string): InDoubtDecision {
  if (!(IN_DOUBT_DECISIONS as readonly string[]).includes(value)) throw new InvalidArgumentError(`one of ${IN_DOUBT_DECISIONS.join(', ')}`);
  return value as InDoubtDecision;
}

/**
 * `cardflow sms in-doubt` and `cardflow sms decide`: the operator's view of messages whose submit
 * outcome is unknown, and the decision on one (docs/sms.md, "Never twice"); audited like the console's.
 */
function registerInDoubtCommands(sms: Command): void {
  sms
    .command('in-doubt')
    .description('list queued messages whose submit the gateway never answered (older than the reconcile window), oldest first')
    .action(() =>
      withPlatform(async (ctx) => {
        const rows = await listMessages(ctx, await cliPrincipal(ctx), { inDoubt: true, limit: 500, offset: 0 });
        for (const m of rows.reverse()) process.stdout.write(`${m.id}  ${m.createdAt}  ${m.phoneMasked}  attempts ${m.attempts}  ${m.text.slice(0, 30)}\n`);
        process.stdout.write(`${rows.length} messages in doubt\n`);
      }),
    );
  sms
    .command('decide')
    .description('after checking with the provider: resend a message in doubt (risking a duplicate) or close it EXPIRED with SUBMIT_UNCONFIRMED; audited')
    .argument('<messageId>', 'the message id, as `cardflow sms in-doubt` lists it')
    .requiredOption('--decision <resend|close>', 'resend: it goes out again; close: it is never sent again', decision)
    .requiredOption('--reason <text>', "what the provider said (2–200 characters), kept in the audit trail")
    .action((messageId: string, o: { decision: InDoubtDecision; reason: string }) =>
      withPlatform(async (ctx) => {
        if (!UUID.test(messageId)) fail(`${messageId} is not a message id`);
        const reason = o.reason.trim();
        if (reason.length < 2 || reason.length > 200) fail('--reason must have 2 to 200 characters');
        const result = await decideInDoubt(ctx, await cliPrincipal(ctx), messageId, o.decision);
        await appendAudit(ctx, {
          actorType: 'CLI',
          actorName: 'cli',
          action: 'sms.in_doubt.decide',
          targetType: 'sms_message',
          targetId: messageId,
          outcome: 'SUCCESS',
          details: { decision: o.decision, reason, abandonedAttempts: result.abandonedAttempts },
        });
        process.stdout.write(`${messageId} ${o.decision}: now ${result.status}${result.failureCode ? ` (${result.failureCode})` : ''}\n`);
      }),
    );
}

/** `cardflow sms simulator …` runs until SIGINT or SIGTERM, then prints what it handled; `in-doubt` and `decide` act on the outbox. */
export function registerSmsCommand(program: Command): void {
  const sms = program.command('sms').description('SMS tools: the simulator, and messages in doubt');
  registerInDoubtCommands(sms);
  sms
    .command('simulator')
    .description('run simulated SMS gateways (SMPP SMSC, CMPP ISMG, HTTP provider) that accept submits and send delivery receipts; for trying the whole pipe without a carrier')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--smpp-port <port>', 'run the SMPP 3.4 SMSC on this port (the default when no port is given: 2775)', port)
    .option('--cmpp-port <port>', 'run the CMPP ISMG on this port', port)
    .option('--http-port <port>', 'run the HTTP provider on this port', port)
    .option('--system-id <id>', 'account: SMPP system_id, CMPP Source_Addr (the 6-character SP code) or HTTP account', '901234')
    .option('--password <secret>', 'SMPP password, CMPP shared secret or HTTP signing secret', 'cardflow')
    .option('--receipt-delay <ms>', 'delay before each delivery receipt', whole, 1_000)
    .option('--failure-rate <share>', 'share of segments whose receipt is a failure, 0–1', rate, 0)
    .option('--failure-codes <stats>', 'stat values of failed receipts, used in turn', stats, ['UNDELIV'])
    .option('--seed <n>', 'seed of the failure draw, so runs repeat', whole, 1)
    .addOption(new Option('--cmpp-version <version>', 'CMPP version the ISMG speaks').choices(['2.0', '3.0']).default('3.0'))
    .addOption(new Option('--message-ids <radix>', 'how the SMPP SMSC writes message ids').choices(['hex', 'dec']).default('dec'))
    .option('--callback-url <url>', 'HTTP: where receipts go when a submit names no callbackUrl')
    .action(async (o: SmsSimulatorOptions) => {
      const running = await startSmsSimulators(o);
      for (const line of running.lines) process.stdout.write(`${line}\n`);
      process.stdout.write(`receipts after ${o.receiptDelay} ms, failure rate ${o.failureRate} (${o.failureCodes.join(', ')}); Ctrl-C stops\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      for (const { protocol, sim } of running.simulators) {
        const s = sim.stats();
        process.stdout.write(`${protocol}: ${s.submits} submits, ${s.accepted} accepted, ${s.receiptsSent} receipts sent, ${s.receiptsAcked} acknowledged\n`);
      }
      await running.stop();
    });
}
