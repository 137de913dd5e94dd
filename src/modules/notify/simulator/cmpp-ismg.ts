import net, { type AddressInfo } from 'node:net';
import { authenticatorIsmg, authenticatorMatches, authenticatorSource, timestampText } from '../cmpp/auth.ts';
import { decodePdu, encodePdu } from '../cmpp/codec.ts';
import { CONNECT_STATUS, MSG_FMT, type CmppVersion } from '../cmpp/commands.ts';
import { decodeMsgContent } from '../cmpp/content.ts';
import { CmppFrameSplitter } from '../cmpp/frames.ts';
import { encodeMsgId, msgIdToString } from '../cmpp/msg-id.ts';
import type { CmppPdu, CmppSubmit } from '../cmpp/pdu.ts';
import { Faults, ReceiptPlanner, Timers, beijingStamp, emptyStats, recordPart, validDestination, type SimulatorOptions } from './behaviour.ts';
import type { Simulator } from './index.ts';

interface Connection {
  socket: net.Socket;
  account: string | null;
  /** Reads and answers nothing any more (a half-dead link). */
  stalled: boolean;
  inFlight: number;
  sequence: number;
  /** DELIVER sequence → the receipt it carries, until DELIVER_RESP. */
  awaiting: Map<number, PendingReport>;
}

interface PendingReport {
  /** A reply from a handset rather than a status report. */
  inbound?: boolean;
  account: string;
  origin: Connection;
  attempts: number;
  build(sequenceId: number): CmppPdu;
}

/** SUBMIT_RESP Result values the simulator uses. */
const RESULT = { OK: 0, FLOW_CONTROL: 8, DEST_TERMINAL_ID: 13 } as const;
const GATEWAY_CODE = 0x2a5f;

/** An ISMG on the CMPP codec: CONNECT with authentication, SUBMIT with Msg_Id, status reports as DELIVER. */
export async function startCmppIsmg(opts: SimulatorOptions): Promise<Simulator> {
  const version: CmppVersion = opts.cmppVersion ?? 0x30;
  const stats = emptyStats();
  const faults = new Faults();
  const timers = new Timers();
  const connections = new Set<Connection>();
  const queued: PendingReport[] = [];
  const planner = opts.receipts ? new ReceiptPlanner(opts.receipts) : null;
  let sequence = 0;
  let rr = 0;

  const server = net.createServer((socket) => {
    const conn: Connection = { socket, account: null, stalled: false, inFlight: 0, sequence: 0, awaiting: new Map() };
    connections.add(conn);
    stats.connections++;
    const splitter = new CmppFrameSplitter();
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      stats.connections--;
      connections.delete(conn);
      for (const report of conn.awaiting.values()) queued.push(report);
      conn.awaiting.clear();
    });
    socket.on('data', (chunk: Buffer) => {
      if (conn.stalled) return;
      try {
        for (const frame of splitter.push(chunk)) handle(conn, decodePdu(version, frame));
      } catch {
        socket.destroy();
      }
    });
  });

  const write = (conn: Connection, pdu: CmppPdu) => {
    if (!conn.socket.destroyed) conn.socket.write(encodePdu(version, pdu));
  };

  function handle(conn: Connection, pdu: CmppPdu): void {
    switch (pdu.command) {
      case 'CONNECT': {
        const account = opts.accounts.find((a) => a.id === pdu.sourceAddr);
        let ok: boolean;
        try {
          ok = !!account && authenticatorMatches(pdu.authenticatorSource, authenticatorSource(account.id, account.secret, timestampText(pdu.timestamp)));
        } catch {
          ok = false;
        }
        const status = ok ? CONNECT_STATUS.OK : CONNECT_STATUS.AUTH_FAILED;
        const authenticator = authenticatorIsmg(version, status, pdu.authenticatorSource, account?.secret ?? '');
        write(conn, { command: 'CONNECT_RESP', sequenceId: pdu.sequenceId, status, authenticatorIsmg: authenticator, version });
        if (!ok) {
          stats.bindFailures++;
          conn.socket.end();
          return;
        }
        stats.binds++;
        conn.account = account!.id;
        flush();
        return;
      }
      case 'ACTIVE_TEST':
        stats.keepAlives++;
        write(conn, { command: 'ACTIVE_TEST_RESP', sequenceId: pdu.sequenceId, reserved: 0 });
        return;
      case 'TERMINATE':
        stats.unbinds++;
        write(conn, { command: 'TERMINATE_RESP', sequenceId: pdu.sequenceId });
        conn.socket.end();
        return;
      case 'SUBMIT':
        if (!conn.account) conn.socket.destroy();
        else submit(conn, pdu);
        return;
      case 'DELIVER_RESP': {
        const report = conn.awaiting.get(pdu.sequenceId);
        if (!report) return;
        conn.awaiting.delete(pdu.sequenceId);
        if (pdu.result === 0) {
          if (report.inbound) stats.inboundAcked++;
          else stats.receiptsAcked++;
        } else {
          if (!report.inbound) stats.receiptsRefused++;
          if (opts.receipts && report.attempts < (opts.receipts.maxAttempts ?? 5)) {
            timers.after(opts.receipts.delayMs, () => {
              queued.push(report);
              flush();
            });
          }
        }
        return;
      }
      default:
        return;
    }
  }

  function submit(conn: Connection, pdu: CmppSubmit): void {
    stats.submits++;
    const fault = faults.next();
    if (fault === 'drop') {
      stats.dropped++;
      return;
    }
    conn.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, conn.inFlight);
    const answer = (msgId: bigint, result: number) =>
      timers.after(opts.responseDelayMs ?? 0, () => {
        conn.inFlight--;
        write(conn, { command: 'SUBMIT_RESP', sequenceId: pdu.sequenceId, msgId, result });
      });
    const to = pdu.destTerminalIds[0] ?? '';
    if (fault === 'throttle') {
      stats.throttled++;
      return answer(0n, RESULT.FLOW_CONTROL);
    }
    if (!validDestination(to)) {
      stats.rejected++;
      return answer(0n, RESULT.DEST_TERMINAL_ID);
    }
    const now = new Date();
    const t = new Date(now.getTime() + 8 * 3_600_000);
    const msgId = encodeMsgId({
      month: t.getUTCMonth() + 1,
      day: t.getUTCDate(),
      hour: t.getUTCHours(),
      minute: t.getUTCMinutes(),
      second: t.getUTCSeconds(),
      gatewayId: GATEWAY_CODE,
      sequence: sequence++ & 0xffff,
    });
    const { concat, text } = decodeMsgContent(pdu);
    stats.accepted++;
    recordPart(stats, { messageId: msgIdToString(msgId), to, dataCoding: pdu.msgFmt, concat, text });
    answer(msgId, RESULT.OK);
    if (!planner || !opts.receipts || pdu.registeredDelivery !== 1) return;
    const stat = planner.stat();
    if (stat === 'DELIVRD') stats.delivered++;
    else stats.failed++;
    const report: PendingReport = {
      account: conn.account!,
      origin: conn,
      attempts: 0,
      build: (sequenceId) => ({
        command: 'DELIVER',
        sequenceId,
        msgId: msgId + 1n,
        destId: pdu.srcId,
        serviceId: pdu.serviceId,
        tpPid: 0,
        tpUdhi: 0,
        msgFmt: 0,
        srcTerminalId: to,
        srcTerminalType: 0,
        linkId: '',
        registeredDelivery: 1,
        report: { msgId, stat, submitTime: beijingStamp(now), doneTime: beijingStamp(new Date()), destTerminalId: to, smscSequence: sequence & 0xffff },
      }),
    };
    timers.after(opts.receipts.delayMs, () => {
      queued.push(report);
      flush();
    });
  }

  /** Sends queued reports on a connection of their account: the submitting one while it is open, else round-robin. */
  function flush(): void {
    for (let i = 0; i < queued.length; ) {
      const report = queued[i]!;
      const open = [...connections].filter((c) => c.account === report.account && !c.socket.destroyed);
      const target = open.includes(report.origin) ? report.origin : open[rr++ % Math.max(1, open.length)];
      if (!target) {
        i++;
        continue;
      }
      queued.splice(i, 1);
      report.attempts++;
      if (report.inbound) stats.inboundSent++;
      else stats.receiptsSent++;
      target.sequence = (target.sequence % 0x7fff_ffff) + 1;
      target.awaiting.set(target.sequence, report);
      write(target, report.build(target.sequence));
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
      for (const c of connections) c.socket.destroy();
    },
    stall: () => {
      for (const c of connections) c.stalled = true;
    },
    sendInbound: ({ from, to, text }) => {
      const account = opts.accounts[0]!.id;
      const origin = [...connections].find((c) => c.account === account);
      if (!origin) throw new Error('no connection of the account is bound');
      const content = Buffer.from(text, 'utf16le').swap16();
      queued.push({
        inbound: true,
        account,
        origin,
        attempts: 0,
        build: (sequenceId) => ({
          command: 'DELIVER',
          sequenceId,
          msgId: BigInt(++sequence),
          destId: to,
          serviceId: '',
          tpPid: 0,
          tpUdhi: 0,
          msgFmt: MSG_FMT.UCS2,
          srcTerminalId: from,
          srcTerminalType: 0,
          linkId: '',
          registeredDelivery: 0,
          content,
        }),
      });
      flush();
    },
    stop: async () => {
      timers.clear();
      for (const c of connections) c.socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
