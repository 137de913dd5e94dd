import type { AddressInfo, Socket } from 'node:net';
import { decodeUserData } from '../segments.ts';
import { ESM_CLASS, SMPP_STATUS, SmppPdu, createSmppServer, userDataOf, type SmppServerSession } from '../smpp/wrapper.ts';
import { Faults, ReceiptPlanner, Timers, beijingStamp, emptyStats, recordPart, validDestination, type SimulatorOptions } from './behaviour.ts';
import type { Simulator } from './index.ts';

type Pdu = InstanceType<typeof SmppPdu>;

interface Bound {
  session: SmppServerSession;
  account: string;
  receives: boolean;
  transmits: boolean;
  inFlight: number;
  /** Receipts sent on this session and not yet acknowledged; sent again elsewhere if it closes. */
  unacked: Set<PendingReceipt>;
}

interface PendingReceipt {
  account: string;
  origin: SmppServerSession;
  pdu: () => Pdu;
  delivered: boolean;
  attempts: number;
}

const MESSAGE_STATE: Record<string, number> = { DELIVRD: 2, EXPIRED: 3, DELETED: 4, UNDELIV: 5, UNKNOWN: 7, REJECTD: 8 };

/** An SMSC on the `smpp` package's server: binds, submit_sm with ids, receipts as deliver_sm. */
export async function startSmppSmsc(opts: SimulatorOptions): Promise<Simulator> {
  const stats = emptyStats();
  const faults = new Faults();
  const timers = new Timers();
  const bound = new Map<SmppServerSession, Bound>();
  const queued: PendingReceipt[] = [];
  const planner = opts.receipts ? new ReceiptPlanner(opts.receipts) : null;
  const radix = opts.messageIds ?? { submit: 'dec', receipt: 'dec' };
  let nextId = 0x1000_0000;
  let rr = 0;

  const server = createSmppServer({}, (session) => {
    stats.connections++;
    corkPerTick(session.socket);
    session.on('error', () => undefined);
    session.on('close', () => {
      stats.connections--;
      const b = bound.get(session);
      bound.delete(session);
      if (b && b.unacked.size > 0) {
        queued.push(...b.unacked);
        flush();
      }
    });
    for (const mode of ['transmitter', 'receiver', 'transceiver'] as const) {
      session.on(`bind_${mode}`, (pdu: Pdu) => {
        const account = opts.accounts.find((a) => a.id === pdu.system_id && a.secret === pdu.password);
        if (!account) {
          stats.bindFailures++;
          session.send(pdu.response({ command_status: SMPP_STATUS.RINVPASWD }));
          return;
        }
        stats.binds++;
        session.send(pdu.response({ system_id: 'cardflow-sim' }));
        bound.set(session, { session, account: account.id, receives: mode !== 'transmitter', transmits: mode !== 'receiver', inFlight: 0, unacked: new Set() });
        flush();
      });
    }
    session.on('enquire_link', (pdu: Pdu) => {
      stats.keepAlives++;
      session.send(pdu.response());
    });
    session.on('unbind', (pdu: Pdu) => {
      stats.unbinds++;
      session.send(pdu.response());
      session.close();
    });
    session.on('submit_sm', (pdu: Pdu) => submit(session, pdu));
  });

  function submit(session: SmppServerSession, pdu: Pdu): void {
    const b = bound.get(session);
    if (!b || !b.transmits) {
      session.send(pdu.response({ command_status: SMPP_STATUS.RINVBNDSTS }));
      return;
    }
    stats.submits++;
    const fault = faults.next();
    if (fault === 'drop') {
      stats.dropped++;
      return;
    }
    b.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, b.inFlight);
    const answer = (options: Record<string, unknown>) =>
      timers.after(opts.responseDelayMs ?? 0, () => {
        b.inFlight--;
        session.send(pdu.response(options));
      });
    const to = String(pdu.destination_addr ?? '');
    if (fault === 'throttle') {
      stats.throttled++;
      return answer({ command_status: SMPP_STATUS.RTHROTTLED });
    }
    if (!validDestination(to)) {
      stats.rejected++;
      return answer({ command_status: SMPP_STATUS.RINVDSTADR });
    }
    const n = nextId++;
    const submitId = formatId(n, radix.submit);
    const dataCoding = Number(pdu.data_coding ?? 0);
    const userData = userDataOf(pdu.short_message, dataCoding);
    const { concat, text } = decodeUserData(dataCoding === 8 ? 'UCS2' : 'GSM7', userData, (Number(pdu.esm_class) & ESM_CLASS.UDHI) !== 0);
    stats.accepted++;
    recordPart(stats, { messageId: submitId, to, dataCoding, concat, text });
    answer({ message_id: submitId });
    if (planner && opts.receipts && Number(pdu.registered_delivery ?? 0) & 1) {
      const submitted = new Date();
      const stat = planner.stat();
      const receipt: PendingReceipt = {
        account: b.account,
        origin: session,
        delivered: false,
        attempts: 0,
        pdu: () => {
          const done = beijingStamp(new Date());
          const body = `id:${formatId(n, radix.receipt)} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:${beijingStamp(submitted)} done date:${done} stat:${stat} err:${stat === 'DELIVRD' ? '000' : '001'} text:`;
          const tlvs = opts.receiptTlvs ? { receipted_message_id: submitId, message_state: MESSAGE_STATE[stat] ?? 7 } : {};
          return new SmppPdu('deliver_sm', {
            source_addr: to,
            destination_addr: String(pdu.source_addr ?? ''),
            esm_class: ESM_CLASS.DELIVERY_RECEIPT,
            data_coding: 0,
            short_message: Buffer.from(body, 'latin1'),
            ...tlvs,
          });
        },
      };
      timers.after(opts.receipts.delayMs, () => {
        queued.push(receipt);
        flush();
      });
      if (stat === 'DELIVRD') stats.delivered++;
      else stats.failed++;
    }
  }

  /** Sends queued receipts to a receiving bind of their account: the submitting one if it can, else round-robin. */
  function flush(): void {
    for (let i = 0; i < queued.length; ) {
      const r = queued[i]!;
      const origin = bound.get(r.origin);
      const targets = [...bound.values()].filter((b) => b.account === r.account && b.receives);
      const target = origin?.receives ? origin : targets[rr++ % Math.max(1, targets.length)];
      if (!target) {
        i++;
        continue;
      }
      queued.splice(i, 1);
      r.attempts++;
      stats.receiptsSent++;
      target.unacked.add(r);
      target.session.send(r.pdu(), (resp: Pdu) => {
        target.unacked.delete(r);
        if (resp.command_status === SMPP_STATUS.ROK) stats.receiptsAcked++;
        else {
          stats.receiptsRefused++;
          if (opts.receipts && r.attempts < (opts.receipts.maxAttempts ?? 5)) {
            timers.after(opts.receipts.delayMs, () => {
              queued.push(r);
              flush();
            });
          }
        }
      });
    }
  }

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stats: () => ({ ...stats, parts: [...stats.parts] }),
    dropResponses: (n, after = 0) => {
      faults.drop += n;
      faults.dropAfter = after;
    },
    throttle: (n) => (faults.throttle += n),
    closeConnections: () => {
      for (const s of [...server.sessions]) s.destroy();
    },
    stall: () => {
      for (const s of server.sessions) s.pause();
    },
    stop: async () => {
      timers.clear();
      for (const s of [...server.sessions]) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The simulator shares a process with the client it serves in benches and tests: the responses and
 * receipts of one tick leave in one segment, as the client's own frames do (smpp/link.ts), instead
 * of a syscall each.
 */
function corkPerTick(socket: Socket): void {
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  socket.write = ((...args: unknown[]) => {
    if (socket.writableCorked === 0) {
      socket.cork();
      process.nextTick(() => socket.uncork());
    }
    return write(...args);
  }) as typeof socket.write;
}

function formatId(n: number, radix: 'hex' | 'dec'): string {
  return radix === 'hex' ? n.toString(16).toUpperCase() : String(n);
}
