import { AppError } from '../../../platform/errors/app-error.ts';
import { GatewayError, type Gateway } from '../gateway.ts';
import { statusFromStat } from '../receipts.ts';
import { segmentText, type ConcatInfo, type SegmentedSms } from '../segments.ts';
import { LINK_DEFAULTS, Link, type LinkHooks, type LinkSettings } from '../smpp/link.ts';
import { LinkPool, POOL_DEFAULTS, type PoolSettings } from '../smpp/pool.ts';
import { authenticatorIsmg, authenticatorMatches, authenticatorSource, cmppTimestamp } from './auth.ts';
import { decodePdu, encodePdu } from './codec.ts';
import { CONNECT_STATUS, type CmppVersion } from './commands.ts';
import { decodeMsgContent, submitSegments } from './content.ts';
import { CmppFrameSplitter } from './frames.ts';
import { msgIdToString } from './msg-id.ts';
import type { CmppDeliver, CmppPdu } from './pdu.ts';

export interface CmppGatewayConfig {
  name: string;
  host: string;
  port: number;
  /** 0x30 (CMPP 3.0, China Mobile today) or 0x20. */
  version?: CmppVersion;
  /** Source_Addr of CONNECT: the 6-character SP enterprise code; also Msg_src of every SUBMIT. */
  spId: string;
  sharedSecret: string;
  /** Service_Id registered with the operator. */
  serviceId: string;
  /** Src_Id: the SP access number (106…) the handset shows as sender. */
  srcId: string;
  /** Notices are free to the holder: FeeType 01 (free) with the SP paying. */
  fee?: { userType: number; type: string; code: string };
  /** Connections to the ISMG, used round-robin. */
  connections?: number;
  link?: Partial<Omit<LinkSettings, 'host' | 'port'>>;
  pool?: Partial<PoolSettings>;
}

/** SUBMIT_RESP Result values that matter here (CMPP 2.0 §7.4.3.2, 3.0 §7.4.3.2). */
const SUBMIT_RESULT = { OK: 0, FLOW_CONTROL: 8, DEST_TERMINAL_ID: 13 } as const;
/** DELIVER_RESP Result 8 (flow control): the ISMG sends the report again later. */
const DELIVER_RESP_RETRY_LATER = 8;

/** A CMPP gateway: `connections` links to one ISMG account behind one Gateway. Every notice goes as UCS-2. */
export function createCmppGateway(config: CmppGatewayConfig): Gateway {
  const settings: LinkSettings = { ...LINK_DEFAULTS, ...config.link, host: config.host, port: config.port };
  const connections = config.connections ?? 1;
  if (!Number.isInteger(settings.window) || settings.window < 1 || !Number.isInteger(connections) || connections < 1) {
    throw new AppError('SMS_GATEWAY_CONFIG_INVALID', { params: { reason: `window ${settings.window}, connections ${connections}` } });
  }
  const pool = new LinkPool(config.name, { ...POOL_DEFAULTS, ...config.pool }, (m) =>
    segmentText(m.text, { reference: m.reference, priceMilliFen: 0, ucs2Only: true }),
  );
  for (let i = 0; i < connections; i++) pool.add(new CmppLink(`${config.name}#${i + 1}`, config, settings, pool.hooks));
  return pool;
}

class CmppLink extends Link<CmppPdu> {
  readonly mode = 'cmpp';
  readonly canSubmit = true;
  private readonly version: CmppVersion;
  private authSource: Buffer = Buffer.alloc(16);

  constructor(
    id: string,
    private readonly config: CmppGatewayConfig,
    settings: LinkSettings,
    hooks: LinkHooks,
  ) {
    super(id, config.name, settings, hooks);
    this.version = config.version ?? 0x30;
  }

  protected createReader(): (chunk: Buffer) => CmppPdu[] {
    const splitter = new CmppFrameSplitter();
    return (chunk) => splitter.push(chunk).map((frame) => decodePdu(this.version, frame));
  }

  protected sequenceOf(pdu: CmppPdu): number {
    return pdu.sequenceId;
  }

  protected isResponse(pdu: CmppPdu): boolean {
    return pdu.command.endsWith('_RESP');
  }

  protected bindFrame(sequenceId: number): Buffer {
    const ts = cmppTimestamp(new Date());
    this.authSource = authenticatorSource(this.config.spId, this.config.sharedSecret, ts.text);
    return encodePdu(this.version, {
      command: 'CONNECT',
      sequenceId,
      sourceAddr: this.config.spId,
      authenticatorSource: this.authSource,
      version: this.version,
      timestamp: ts.value,
    });
  }

  /** Status 0 and an AuthenticatorISMG proving the ISMG knows the secret too. */
  protected checkBind(response: CmppPdu): void {
    const status = response.command === 'CONNECT_RESP' ? response.status : CONNECT_STATUS.BAD_STRUCTURE;
    const proven =
      response.command === 'CONNECT_RESP' &&
      authenticatorMatches(response.authenticatorIsmg, authenticatorIsmg(this.version, status, this.authSource, this.config.sharedSecret));
    if (status === CONNECT_STATUS.OK && proven) return;
    throw new GatewayError('SMS_GATEWAY_BIND_FAILED', {
      kind: 'PERMANENT',
      outcome: 'NOT_SENT',
      protocolStatus: status,
      params: { gateway: this.gateway, status: proven || status !== CONNECT_STATUS.OK ? String(status) : 'AuthenticatorISMG' },
    });
  }

  protected keepAliveFrame(sequenceId: number): Buffer {
    return encodePdu(this.version, { command: 'ACTIVE_TEST', sequenceId });
  }

  protected unbindFrame(sequenceId: number): Buffer {
    return encodePdu(this.version, { command: 'TERMINATE', sequenceId });
  }

  protected handleRequest(pdu: CmppPdu): void {
    if (pdu.command === 'ACTIVE_TEST') this.send(encodePdu(this.version, { command: 'ACTIVE_TEST_RESP', sequenceId: pdu.sequenceId, reserved: 0 }));
    else if (pdu.command === 'TERMINATE') {
      this.send(encodePdu(this.version, { command: 'TERMINATE_RESP', sequenceId: pdu.sequenceId }));
      this.hangUp('the ISMG terminated the connection');
    } else if (pdu.command === 'DELIVER') void this.deliver(pdu);
  }

  async submitSegment(to: string, sms: SegmentedSms, index: number): Promise<string> {
    const fields = submitSegments(sms)[index]!;
    const fee = this.config.fee ?? { userType: 2, type: '01', code: '000000' };
    const response = await this.request((sequenceId) =>
      encodePdu(this.version, {
        command: 'SUBMIT',
        sequenceId,
        msgId: 0n,
        ...fields,
        registeredDelivery: 1,
        msgLevel: 0,
        serviceId: this.config.serviceId,
        feeUserType: fee.userType,
        feeTerminalId: '',
        feeTerminalType: 0,
        tpPid: 0,
        msgSrc: this.config.spId,
        feeType: fee.type,
        feeCode: fee.code,
        validTime: '',
        atTime: '',
        srcId: this.config.srcId,
        destTerminalIds: [to],
        destTerminalType: 0,
        linkId: '',
      }),
    );
    const result = response.command === 'SUBMIT_RESP' ? response.result : -1;
    const answer = this.submitAnswer(response);
    if (answer?.messageId != null) {
      this.accepted();
      return answer.messageId;
    }
    const params = { gateway: this.gateway, status: String(result) };
    if (result === SUBMIT_RESULT.FLOW_CONTROL) {
      this.throttled();
      throw new GatewayError('SMS_GATEWAY_THROTTLED', { kind: 'TEMPORARY', outcome: 'REFUSED', protocolStatus: result, params });
    }
    const code = result === SUBMIT_RESULT.DEST_TERMINAL_ID ? 'SMS_DESTINATION_INVALID' : 'SMS_GATEWAY_REJECTED';
    throw new GatewayError(code, { kind: 'PERMANENT', outcome: 'REFUSED', protocolStatus: result, params });
  }

  protected submitAnswer(response: CmppPdu): { messageId: string | null } | null {
    if (response.command !== 'SUBMIT_RESP') return null;
    return { messageId: response.result === SUBMIT_RESULT.OK ? msgIdToString(response.msgId) : null };
  }

  /**
   * Status reports and replies from handsets (Registered_Delivery = 0) are acknowledged once stored;
   * a failed write answers Result 8 so the ISMG sends them again. A reply whose text cannot be read is
   * acknowledged and counted: sending it again would not make it readable.
   */
  private async deliver(pdu: CmppDeliver): Promise<void> {
    let result = 0;
    if (pdu.registeredDelivery === 0) {
      let sms: { concat: ConcatInfo | null; text: string } | null = null;
      try {
        sms = decodeMsgContent(pdu);
      } catch (e) {
        this.hooks.unreadableReceipt(e);
      }
      if (sms) {
        try {
          await this.hooks.inbound({ from: pdu.srcTerminalId, to: pdu.destId, ...sms, receivedAt: new Date() });
        } catch {
          result = DELIVER_RESP_RETRY_LATER;
        }
      }
    } else {
      const { report } = pdu;
      const status = statusFromStat(report.stat);
      if (status !== null) {
        try {
          await this.hooks.receipt({
            messageId: msgIdToString(report.msgId),
            status,
            stat: report.stat.trim().toUpperCase(),
            errorCode: status === 'DELIVERED' ? null : report.stat.trim(),
            doneAt: beijingTime(report.doneTime),
            handset: report.destTerminalId.trim() || null,
          });
        } catch {
          result = DELIVER_RESP_RETRY_LATER;
        }
      }
    }
    this.send(encodePdu(this.version, { command: 'DELIVER_RESP', sequenceId: pdu.sequenceId, msgId: pdu.msgId, result }));
  }
}

/** YYMMDDHHMM in Beijing time (UTC+8, no daylight saving); null when it is not a real time. */
function beijingTime(value: string): Date | null {
  const m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const utc = Date.UTC(2000 + y, mo - 1, d, h - 8, mi);
  const check = new Date(utc + 8 * 3_600_000);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return null;
  return new Date(utc);
}
