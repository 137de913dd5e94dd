import smpp from 'smpp';
import { AppError } from '../../../platform/errors/app-error.ts';

/**
 * Typed access to the `smpp` package's PDU codec: the few PDUs a client and our simulator exchange,
 * as plain values. The package decodes short_message through its own GSM table, which turns ASCII
 * `_`, `$` and `{` into other characters; `userDataOf` re-encodes it to the bytes that were on the wire.
 */
export const SMPP_STATUS = {
  ROK: 0x00,
  RINVMSGLEN: 0x01,
  RINVCMDID: 0x03,
  RINVBNDSTS: 0x04,
  RSYSERR: 0x08,
  RINVDSTADR: 0x0b,
  RBINDFAIL: 0x0d,
  RINVPASWD: 0x0e,
  RINVSYSID: 0x0f,
  RMSGQFUL: 0x14,
  RINVDSTTON: 0x50,
  RINVDSTNPI: 0x51,
  RTHROTTLED: 0x58,
  RX_T_APPN: 0x64,
} as const;

export const ESM_CLASS = { DELIVERY_RECEIPT: 0x04, UDHI: 0x40 } as const;

export type BindMode = 'transmitter' | 'receiver' | 'transceiver';

const HEADER_LENGTH = 16;

// The package decodes UCS-2 through iconv, which drops a leading U+FEFF, so a message that starts
// with one could not be re-encoded to its wire bytes. A plain byte swap keeps every code unit.
// An odd trailing byte is not a code unit and is dropped, as iconv does.
smpp.encodings.UCS2.decode = (value: Buffer) => Buffer.from(value.subarray(0, value.length - (value.length % 2))).swap16().toString('utf16le');

export const { PDU: SmppPdu, createServer: createSmppServer } = smpp;
export type SmppServerSession = InstanceType<typeof smpp.Session>;
/** The package refuses larger PDUs; a length above it means the stream is out of step. */
export const MAX_SMPP_PDU_LENGTH = smpp.PDU.maxLength;

export interface BindRequest {
  mode: BindMode;
  systemId: string;
  password: string;
  systemType?: string;
}

export interface SubmitRequest {
  sourceAddr: string;
  destinationAddr: string;
  /** 0 for the default alphabet, 8 for UCS-2. */
  dataCoding: number;
  /** UDH (when `udhi`) followed by the body. */
  userData: Uint8Array;
  udhi: boolean;
  registeredDelivery: boolean;
}

export interface DeliverSm {
  command: 'deliver_sm';
  sequence: number;
  esmClass: number;
  dataCoding: number;
  sourceAddr: string;
  destinationAddr: string;
  /** The bytes of short_message, or of message_payload when short_message is empty. */
  userData: Buffer;
  receiptedMessageId?: string;
  messageState?: number;
  networkErrorCode?: Buffer;
}

export type SmppIncoming =
  | DeliverSm
  | { command: 'submit_sm_resp'; sequence: number; status: number; messageId: string }
  | { command: `bind_${BindMode}_resp`; sequence: number; status: number }
  | { command: 'enquire_link' | 'enquire_link_resp' | 'unbind' | 'unbind_resp' | 'generic_nack' | 'deliver_sm_resp'; sequence: number; status: number }
  | { command: 'other'; name: string; sequence: number; status: number; isResponse: boolean };

export function encodeBind(sequence: number, bind: BindRequest): Buffer {
  return new smpp.PDU(`bind_${bind.mode}`, {
    sequence_number: sequence,
    system_id: bind.systemId,
    password: bind.password,
    system_type: bind.systemType ?? '',
    interface_version: 0x34,
  }).toBuffer();
}

export function encodeSubmit(sequence: number, s: SubmitRequest): Buffer {
  return new smpp.PDU('submit_sm', {
    sequence_number: sequence,
    source_addr_ton: 0,
    source_addr_npi: 0,
    source_addr: s.sourceAddr,
    dest_addr_ton: 0,
    dest_addr_npi: 1,
    destination_addr: s.destinationAddr,
    esm_class: s.udhi ? ESM_CLASS.UDHI : 0,
    registered_delivery: s.registeredDelivery ? 1 : 0,
    data_coding: s.dataCoding,
    short_message: Buffer.from(s.userData),
  }).toBuffer();
}

/** enquire_link or unbind: requests without a body. */
export function encodeEmptyRequest(command: 'enquire_link' | 'unbind', sequence: number): Buffer {
  return new smpp.PDU(command, { sequence_number: sequence }).toBuffer();
}

/** A response to `command` (deliver_sm_resp, enquire_link_resp, …); a non-zero status has no body. */
export function encodeResponse(command: string, sequence: number, status: number, fields: Record<string, unknown> = {}): Buffer {
  const name = command === 'other' ? 'generic_nack' : `${command}_resp`;
  return new smpp.PDU(name, { ...fields, sequence_number: sequence, command_status: status }).toBuffer();
}

const SIMPLE = new Set(['enquire_link', 'enquire_link_resp', 'unbind', 'unbind_resp', 'generic_nack', 'deliver_sm_resp']);

/** Decodes one complete frame; bytes the package cannot read are SMPP_PDU_INVALID. */
export function decodeSmpp(frame: Buffer): SmppIncoming {
  let pdu: InstanceType<typeof smpp.PDU>;
  try {
    pdu = new smpp.PDU(frame);
  } catch (cause) {
    throw new AppError('SMPP_PDU_INVALID', { params: { reason: cause instanceof Error ? cause.message : String(cause) }, cause });
  }
  const sequence = pdu.sequence_number;
  const status = pdu.command_status;
  const command = pdu.command;
  if (command === 'submit_sm_resp') return { command, sequence, status, messageId: typeof pdu.message_id === 'string' ? pdu.message_id : '' };
  if (command === 'bind_transmitter_resp' || command === 'bind_receiver_resp' || command === 'bind_transceiver_resp') return { command, sequence, status };
  if (SIMPLE.has(command)) return { command: command as 'enquire_link', sequence, status };
  if (command === 'deliver_sm') {
    const dataCoding = Number(pdu.data_coding ?? 0);
    const shortMessage = userDataOf(pdu.short_message, dataCoding);
    return {
      command,
      sequence,
      esmClass: Number(pdu.esm_class ?? 0),
      dataCoding,
      sourceAddr: String(pdu.source_addr ?? ''),
      destinationAddr: String(pdu.destination_addr ?? ''),
      userData: shortMessage.length > 0 ? shortMessage : userDataOf(pdu.message_payload, dataCoding),
      receiptedMessageId: typeof pdu.receipted_message_id === 'string' ? pdu.receipted_message_id : undefined,
      messageState: typeof pdu.message_state === 'number' ? pdu.message_state : undefined,
      networkErrorCode: Buffer.isBuffer(pdu.network_error_code) ? pdu.network_error_code : undefined,
    };
  }
  return { command: 'other', name: command, sequence, status, isResponse: pdu.isResponse() };
}

/** The wire bytes of a short_message the package decoded into `{ udh?, message }`. */
export function userDataOf(value: unknown, dataCoding: number): Buffer {
  if (value === undefined || value === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(value)) return value;
  const { udh, message } = value as { udh?: Buffer[]; message: unknown };
  let body: Buffer;
  if (Buffer.isBuffer(message)) body = message;
  else if (typeof message !== 'string') body = Buffer.alloc(0);
  else if ((dataCoding & 0x0f) === 8) body = smpp.encodings.UCS2.encode(message);
  else if ((dataCoding & 0x0f) === 3) body = smpp.encodings.LATIN1.encode(message);
  else body = smpp.encodings.ASCII.encode(message);
  if (!udh || udh.length === 0) return body;
  const header = Buffer.concat(udh);
  return Buffer.concat([Buffer.of(header.length), header, body]);
}

/**
 * Cuts a TCP byte stream into SMPP frames (command_length first). A length below the header or above
 * the codec's maximum means the stream is out of step and the connection must be closed.
 */
export class SmppFrameSplitter {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Buffer[] = [];
    let offset = 0;
    while (this.pending.length - offset >= 4) {
      const total = this.pending.readUInt32BE(offset);
      if (total < HEADER_LENGTH || total > MAX_SMPP_PDU_LENGTH) {
        throw new AppError('SMPP_FRAME_LENGTH_INVALID', { params: { length: total, min: HEADER_LENGTH, max: MAX_SMPP_PDU_LENGTH } });
      }
      if (this.pending.length - offset < total) break;
      frames.push(Buffer.from(this.pending.subarray(offset, offset + total)));
      offset += total;
    }
    this.pending = Buffer.from(this.pending.subarray(offset));
    return frames;
  }
}
