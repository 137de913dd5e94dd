import { AppError } from '../../../platform/errors/app-error.ts';
import { GatewayError, type Gateway } from '../gateway.ts';
import { canonicalMessageId, parseDeliveryReceipt, type IdRadix } from '../receipts.ts';
import { decodeUserData, decodeUtf16be, segmentText, type ConcatInfo, type SegmentedSms } from '../segments.ts';
import { LINK_DEFAULTS, Link, type LinkHooks, type LinkSettings } from './link.ts';
import { LinkPool, POOL_DEFAULTS, type PoolSettings } from './pool.ts';
import {
  ESM_CLASS,
  SMPP_STATUS,
  SmppFrameSplitter,
  decodeSmpp,
  encodeBind,
  encodeEmptyRequest,
  encodeResponse,
  encodeSubmit,
  type BindMode,
  type DeliverSm,
  type SmppIncoming,
} from './wrapper.ts';

export interface SmppGatewayConfig {
  /** Shown in errors and health, e.g. "cmcc-changzhou". */
  name: string;
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType?: string;
  /** source_addr of every submit (the registered sender number). */
  sourceAddr: string;
  /** One entry per connection; several binds share the load round-robin. Default: one transceiver. */
  binds?: BindMode[];
  /**
   * How this SMSC writes message ids in submit_sm_resp and in receipt text. With it, both sides are
   * turned into the canonical decimal value (see receipts.ts), so a receipt's id equals the submit id.
   * Without it, ids are passed on as received and must be compared with matchesMessageId.
   */
  messageIds?: { submit: IdRadix; receipt: IdRadix };
  /** Offset of the SMSC's wall clock in receipt dates; China: +480. */
  utcOffsetMinutes?: number;
  link?: Partial<Omit<LinkSettings, 'host' | 'port'>>;
  pool?: Partial<PoolSettings>;
}

const TEMPORARY_STATUSES = new Set<number>([SMPP_STATUS.RSYSERR, SMPP_STATUS.RMSGQFUL, SMPP_STATUS.RX_T_APPN, SMPP_STATUS.RINVBNDSTS]);
const DESTINATION_STATUSES = new Set<number>([SMPP_STATUS.RINVDSTADR, SMPP_STATUS.RINVDSTTON, SMPP_STATUS.RINVDSTNPI]);

/** An SMPP 3.4 gateway: `binds` connections to one SMSC account behind one Gateway. */
export function createSmppGateway(config: SmppGatewayConfig): Gateway {
  const binds = config.binds ?? ['transceiver'];
  if (!binds.some((b) => b !== 'receiver')) {
    throw new AppError('SMS_GATEWAY_CONFIG_INVALID', { params: { reason: 'no transmitter or transceiver bind' } });
  }
  const settings: LinkSettings = { ...LINK_DEFAULTS, ...config.link, host: config.host, port: config.port };
  if (!Number.isInteger(settings.window) || settings.window < 1) {
    throw new AppError('SMS_GATEWAY_CONFIG_INVALID', { params: { reason: `window ${settings.window}` } });
  }
  const pool = new LinkPool(config.name, { ...POOL_DEFAULTS, ...config.pool }, (m) => segmentText(m.text, { reference: m.reference, priceMilliFen: 0 }));
  binds.forEach((mode, i) => pool.add(new SmppLink(`${config.name}#${i + 1}`, mode, config, settings, pool.hooks)));
  return pool;
}

class SmppLink extends Link<SmppIncoming> {
  readonly canSubmit: boolean;

  constructor(
    id: string,
    readonly mode: BindMode,
    private readonly config: SmppGatewayConfig,
    settings: LinkSettings,
    hooks: LinkHooks,
  ) {
    super(id, config.name, settings, hooks);
    this.canSubmit = mode !== 'receiver';
  }

  protected createReader(): (chunk: Buffer) => SmppIncoming[] {
    const splitter = new SmppFrameSplitter();
    return (chunk) => splitter.push(chunk).map(decodeSmpp);
  }

  protected sequenceOf(pdu: SmppIncoming): number {
    return pdu.sequence;
  }

  protected isResponse(pdu: SmppIncoming): boolean {
    return pdu.command === 'other' ? pdu.isResponse : pdu.command.endsWith('_resp') || pdu.command === 'generic_nack';
  }

  protected bindFrame(sequence: number): Buffer {
    return encodeBind(sequence, { mode: this.mode, systemId: this.config.systemId, password: this.config.password, systemType: this.config.systemType });
  }

  protected checkBind(response: SmppIncoming): void {
    const status = 'status' in response ? response.status : SMPP_STATUS.RSYSERR;
    if (response.command === `bind_${this.mode}_resp` && status === SMPP_STATUS.ROK) return;
    throw new GatewayError('SMS_GATEWAY_BIND_FAILED', { kind: 'PERMANENT', outcome: 'NOT_SENT', protocolStatus: status, params: { gateway: this.gateway, status: hex(status) } });
  }

  protected keepAliveFrame(sequence: number): Buffer {
    return encodeEmptyRequest('enquire_link', sequence);
  }

  protected unbindFrame(sequence: number): Buffer {
    return encodeEmptyRequest('unbind', sequence);
  }

  protected handleRequest(pdu: SmppIncoming): void {
    switch (pdu.command) {
      case 'enquire_link':
        this.send(encodeResponse('enquire_link', pdu.sequence, SMPP_STATUS.ROK));
        return;
      case 'unbind':
        this.send(encodeResponse('unbind', pdu.sequence, SMPP_STATUS.ROK));
        this.hangUp('the SMSC unbound');
        return;
      case 'deliver_sm':
        void this.deliver(pdu);
        return;
      default:
        this.send(encodeResponse('other', pdu.sequence, SMPP_STATUS.RINVCMDID));
    }
  }

  async submitSegment(to: string, sms: SegmentedSms, index: number): Promise<string> {
    const part = sms.parts[index]!;
    const response = await this.request((seq) =>
      encodeSubmit(seq, {
        sourceAddr: this.config.sourceAddr,
        destinationAddr: to,
        dataCoding: sms.dataCoding,
        userData: part.userData,
        udhi: part.udh !== null,
        registeredDelivery: true,
      }),
    );
    const status = 'status' in response ? response.status : SMPP_STATUS.RSYSERR;
    const answer = this.submitAnswer(response);
    if (answer?.messageId != null) {
      this.accepted();
      return answer.messageId;
    }
    throw this.refusal(status);
  }

  protected submitAnswer(response: SmppIncoming): { messageId: string | null } | null {
    if (response.command !== 'submit_sm_resp') return null;
    return { messageId: response.status === SMPP_STATUS.ROK ? this.canonical(response.messageId, 'submit') : null };
  }

  private refusal(status: number): GatewayError {
    const params = { gateway: this.gateway, status: hex(status) };
    if (status === SMPP_STATUS.RTHROTTLED) {
      this.throttled();
      return new GatewayError('SMS_GATEWAY_THROTTLED', { kind: 'TEMPORARY', outcome: 'REFUSED', protocolStatus: status, params });
    }
    if (TEMPORARY_STATUSES.has(status)) {
      // "Incorrect bind status": the SMSC no longer considers us bound; bind again.
      if (status === SMPP_STATUS.RINVBNDSTS) this.fail('the SMSC says we are not bound');
      return new GatewayError('SMS_GATEWAY_BUSY', { kind: 'TEMPORARY', outcome: 'REFUSED', protocolStatus: status, params });
    }
    const code = DESTINATION_STATUSES.has(status) ? 'SMS_DESTINATION_INVALID' : 'SMS_GATEWAY_REJECTED';
    return new GatewayError(code, { kind: 'PERMANENT', outcome: 'REFUSED', protocolStatus: status, params });
  }

  /**
   * Receipts and messages from handsets are acknowledged once handled; a failure is answered with
   * ESME_RX_T_APPN (temporary application error) so the SMSC tries again. Intermediate receipts
   * (ENROUTE, ACCEPTD) are acknowledged and dropped.
   * A receipted_message_id alone does not make a receipt: Kannel's drive_smpp puts one on every
   * mobile-originated message; a receipt without the esm_class flag must also carry message_state.
   */
  private async deliver(pdu: DeliverSm): Promise<void> {
    const isReceipt = (pdu.esmClass & ESM_CLASS.DELIVERY_RECEIPT) !== 0 || (pdu.receiptedMessageId !== undefined && pdu.messageState !== undefined);
    if (!isReceipt) return this.send(encodeResponse('deliver_sm', pdu.sequence, await this.inbound(pdu), { message_id: '' }));
    let status: number = SMPP_STATUS.ROK;
    try {
      const text = (pdu.dataCoding & 0x0f) === 8 ? decodeUtf16be(pdu.userData) : pdu.userData.toString('latin1');
      const r = parseDeliveryReceipt(
        text,
        { receiptedMessageId: pdu.receiptedMessageId, messageState: pdu.messageState, networkErrorCode: pdu.networkErrorCode },
        this.config.utcOffsetMinutes ?? 480,
      );
      if (r.status !== null) {
        // The TLV carries the id as submit_sm_resp wrote it; the text, as the receipt side writes ids.
        const messageId = this.canonical(r.messageId, r.messageIdSource === 'tlv' ? 'submit' : 'receipt');
        try {
          await this.hooks.receipt({ messageId, status: r.status, stat: r.stat, errorCode: r.err, doneAt: r.doneDate, handset: pdu.sourceAddr || null });
        } catch {
          status = SMPP_STATUS.RX_T_APPN;
        }
      }
    } catch (e) {
      this.hooks.unreadableReceipt(e);
    }
    this.send(encodeResponse('deliver_sm', pdu.sequence, status, { message_id: '' }));
  }

  /** The deliver_sm_resp status for a message from a handset; one that cannot be decoded is acknowledged and counted. */
  private async inbound(pdu: DeliverSm): Promise<number> {
    let sms: { concat: ConcatInfo | null; text: string };
    try {
      sms = decodeUserData((pdu.dataCoding & 0x0f) === 8 ? 'UCS2' : 'GSM7', pdu.userData, (pdu.esmClass & ESM_CLASS.UDHI) !== 0);
    } catch (e) {
      this.hooks.unreadableReceipt(e);
      return SMPP_STATUS.ROK;
    }
    try {
      await this.hooks.inbound({ from: pdu.sourceAddr, to: pdu.destinationAddr, ...sms, receivedAt: new Date() });
      return SMPP_STATUS.ROK;
    } catch {
      return SMPP_STATUS.RX_T_APPN;
    }
  }

  /** Canonical when the radixes are configured; an id that does not read in its radix is kept as it came. */
  private canonical(id: string, side: 'submit' | 'receipt'): string {
    const radixes = this.config.messageIds;
    if (!radixes) return id.trim();
    try {
      return canonicalMessageId(id, radixes[side]);
    } catch {
      return id.trim();
    }
  }
}

function hex(status: number): string {
  return `0x${status.toString(16).padStart(8, '0')}`;
}
