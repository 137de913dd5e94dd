import { AppError } from '../../../platform/errors/app-error.ts';
import { FieldReader, FieldWriter, HEADER_LENGTH, fieldError } from './bytes.ts';
import { COMMAND_IDS, MAX_DESTINATIONS, MAX_FRAME_LENGTH, MSG_FMT, commandName, terminalIdSize, type CmppVersion } from './commands.ts';
import type { CmppDeliver, CmppPdu, CmppStatusReport, CmppSubmit } from './pdu.ts';

/** Msg_Length limits of SUBMIT and DELIVER: 160 bytes of ASCII, 140 bytes of anything else. */
const MAX_ASCII_CONTENT = 160;
const MAX_CONTENT = 140;

/** Encodes one PDU as a complete frame (header included) in the given version's layout. */
export function encodePdu(version: CmppVersion, pdu: CmppPdu): Buffer {
  checkVersion(version);
  const w = new FieldWriter();
  switch (pdu.command) {
    case 'CONNECT':
      w.octets(pdu.sourceAddr, 6, 'Source_Addr')
        .bytes(pdu.authenticatorSource, 16, 'AuthenticatorSource')
        .u8(pdu.version, 'Version')
        .u32(pdu.timestamp, 'Timestamp');
      break;
    case 'CONNECT_RESP':
      if (version === 0x20) w.u8(pdu.status, 'Status');
      else w.u32(pdu.status, 'Status');
      w.bytes(pdu.authenticatorIsmg, 16, 'AuthenticatorISMG').u8(pdu.version, 'Version');
      break;
    case 'SUBMIT':
      writeSubmit(w, version, pdu);
      break;
    case 'SUBMIT_RESP':
    case 'DELIVER_RESP':
      w.u64(pdu.msgId, 'Msg_Id');
      if (version === 0x20) w.u8(pdu.result, 'Result');
      else w.u32(pdu.result, 'Result');
      break;
    case 'DELIVER':
      writeDeliver(w, version, pdu);
      break;
    case 'ACTIVE_TEST_RESP':
      w.u8(pdu.reserved, 'Reserved');
      break;
    case 'ACTIVE_TEST':
    case 'TERMINATE':
    case 'TERMINATE_RESP':
      break;
  }
  const body = w.toBuffer();
  const header = new FieldWriter()
    .u32(HEADER_LENGTH + body.length, 'Total_Length')
    .u32(COMMAND_IDS[pdu.command], 'Command_Id')
    .u32(pdu.sequenceId, 'Sequence_Id')
    .toBuffer();
  return Buffer.concat([header, body]);
}

function writeSubmit(w: FieldWriter, version: CmppVersion, p: CmppSubmit): void {
  const tid = terminalIdSize(version);
  if (p.destTerminalIds.length < 1 || p.destTerminalIds.length > MAX_DESTINATIONS) {
    throw fieldError('DestUsr_tl', `1–${MAX_DESTINATIONS} destinations`);
  }
  if (version === 0x20) {
    only30('Fee_terminal_type', p.feeTerminalType === 0);
    only30('Dest_terminal_type', p.destTerminalType === 0);
    only30('LinkID', p.linkId === '');
  }
  checkContent(p.msgFmt, p.content);
  w.u64(p.msgId, 'Msg_Id')
    .u8(p.pkTotal, 'Pk_total')
    .u8(p.pkNumber, 'Pk_number')
    .u8(p.registeredDelivery, 'Registered_Delivery')
    .u8(p.msgLevel, 'Msg_level')
    .octets(p.serviceId, 10, 'Service_Id')
    .u8(p.feeUserType, 'Fee_UserType')
    .octets(p.feeTerminalId, tid, 'Fee_terminal_Id');
  if (version === 0x30) w.u8(p.feeTerminalType, 'Fee_terminal_type');
  w.u8(p.tpPid, 'TP_pId')
    .u8(p.tpUdhi, 'TP_udhi')
    .u8(p.msgFmt, 'Msg_Fmt')
    .octets(p.msgSrc, 6, 'Msg_src')
    .octets(p.feeType, 2, 'FeeType')
    .octets(p.feeCode, 6, 'FeeCode')
    .octets(p.validTime, 17, 'ValId_Time')
    .octets(p.atTime, 17, 'At_Time')
    .octets(p.srcId, 21, 'Src_Id')
    .u8(p.destTerminalIds.length, 'DestUsr_tl');
  for (const dest of p.destTerminalIds) w.octets(dest, tid, 'Dest_terminal_Id');
  if (version === 0x30) w.u8(p.destTerminalType, 'Dest_terminal_type');
  w.u8(p.content.length, 'Msg_Length').raw(p.content);
  if (version === 0x30) w.octets(p.linkId, 20, 'LinkID');
  else w.raw(Buffer.alloc(8)); // Reserve
}

function writeDeliver(w: FieldWriter, version: CmppVersion, p: CmppDeliver): void {
  if (version === 0x20) {
    only30('Src_terminal_type', p.srcTerminalType === 0);
    only30('LinkID', p.linkId === '');
  }
  const content = p.registeredDelivery === 1 ? encodeStatusReport(version, p.report) : p.content;
  if (p.registeredDelivery === 0) checkContent(p.msgFmt, content);
  w.u64(p.msgId, 'Msg_Id')
    .octets(p.destId, 21, 'Dest_Id')
    .octets(p.serviceId, 10, 'Service_Id')
    .u8(p.tpPid, 'TP_pid')
    .u8(p.tpUdhi, 'TP_udhi')
    .u8(p.msgFmt, 'Msg_Fmt')
    .octets(p.srcTerminalId, terminalIdSize(version), 'Src_terminal_Id');
  if (version === 0x30) w.u8(p.srcTerminalType, 'Src_terminal_type');
  w.u8(p.registeredDelivery, 'Registered_Delivery').u8(content.length, 'Msg_Length').raw(content);
  if (version === 0x30) w.octets(p.linkId, 20, 'LinkID');
  else w.raw(Buffer.alloc(8)); // Reserved
}

/** Status report sizes: 60 bytes in 2.0, 71 in 3.0 (the terminal id grows from 21 to 32 bytes). */
export function statusReportLength(version: CmppVersion): number {
  return 8 + 7 + 10 + 10 + terminalIdSize(version) + 4;
}

function encodeStatusReport(version: CmppVersion, r: CmppStatusReport): Buffer {
  return new FieldWriter()
    .u64(r.msgId, 'Msg_Id')
    .octets(r.stat, 7, 'Stat')
    .octets(r.submitTime, 10, 'Submit_time')
    .octets(r.doneTime, 10, 'Done_time')
    .octets(r.destTerminalId, terminalIdSize(version), 'Dest_terminal_Id')
    .u32(r.smscSequence, 'SMSC_sequence')
    .toBuffer();
}

function decodeStatusReport(version: CmppVersion, content: Buffer, frameLength: number): CmppStatusReport {
  const expected = statusReportLength(version);
  if (content.length !== expected) {
    throw new AppError('CMPP_STATUS_REPORT_INVALID', { params: { reason: `Msg_Length ${content.length}, expected ${expected}` } });
  }
  const r = new FieldReader(content, 'DELIVER', frameLength);
  return {
    msgId: r.u64(),
    stat: r.octets(7),
    submitTime: r.octets(10),
    doneTime: r.octets(10),
    destTerminalId: r.octets(terminalIdSize(version)),
    smscSequence: r.u32(),
  };
}

/**
 * Decodes one complete frame. The frame must be exactly Total_Length bytes and its body must fill the
 * command's field layout exactly; anything else is a protocol error with a stable code.
 */
export function decodePdu(version: CmppVersion, frame: Uint8Array): CmppPdu {
  checkVersion(version);
  const buf = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  if (buf.length < HEADER_LENGTH) throw new AppError('CMPP_PDU_TRUNCATED', { params: { expected: HEADER_LENGTH, actual: buf.length } });
  const total = buf.readUInt32BE(0);
  const commandId = buf.readUInt32BE(4);
  const sequenceId = buf.readUInt32BE(8);
  if (total < HEADER_LENGTH) throw new AppError('CMPP_FRAME_LENGTH_INVALID', { params: { length: total, min: HEADER_LENGTH, max: MAX_FRAME_LENGTH } });
  if (buf.length < total) throw new AppError('CMPP_PDU_TRUNCATED', { params: { expected: total, actual: buf.length } });
  const command = commandName(commandId);
  if (!command) throw new AppError('CMPP_COMMAND_UNKNOWN', { params: { commandId: `0x${commandId.toString(16).padStart(8, '0')}` } });
  if (buf.length > total) {
    throw new AppError('CMPP_PDU_LENGTH_INVALID', { params: { command, length: buf.length, expected: total } });
  }
  const r = new FieldReader(buf.subarray(HEADER_LENGTH, total), command, total);
  const pdu = decodeBody(version, command, sequenceId, r, total);
  r.end();
  return pdu;
}

function decodeBody(version: CmppVersion, command: CmppPdu['command'], sequenceId: number, r: FieldReader, total: number): CmppPdu {
  const tid = terminalIdSize(version);
  switch (command) {
    case 'CONNECT':
      return { command, sequenceId, sourceAddr: r.octets(6), authenticatorSource: r.bytes(16), version: r.u8(), timestamp: r.u32() };
    case 'CONNECT_RESP':
      return { command, sequenceId, status: connectStatusSize(version, total) === 1 ? r.u8() : r.u32(), authenticatorIsmg: r.bytes(16), version: r.u8() };
    case 'SUBMIT_RESP':
    case 'DELIVER_RESP':
      return { command, sequenceId, msgId: r.u64(), result: version === 0x20 ? r.u8() : r.u32() };
    case 'ACTIVE_TEST_RESP':
      return { command, sequenceId, reserved: r.u8() };
    case 'ACTIVE_TEST':
    case 'TERMINATE':
    case 'TERMINATE_RESP':
      return { command, sequenceId };
    case 'SUBMIT': {
      const head = {
        msgId: r.u64(),
        pkTotal: r.u8(),
        pkNumber: r.u8(),
        registeredDelivery: r.u8(),
        msgLevel: r.u8(),
        serviceId: r.octets(10),
        feeUserType: r.u8(),
        feeTerminalId: r.octets(tid),
        feeTerminalType: version === 0x30 ? r.u8() : 0,
        tpPid: r.u8(),
        tpUdhi: r.u8(),
        msgFmt: r.u8(),
        msgSrc: r.octets(6),
        feeType: r.octets(2),
        feeCode: r.octets(6),
        validTime: r.octets(17),
        atTime: r.octets(17),
        srcId: r.octets(21),
      };
      const destCount = r.u8();
      if (destCount < 1 || destCount > MAX_DESTINATIONS) {
        throw new AppError('CMPP_PDU_FIELD_INVALID', { params: { command, field: 'DestUsr_tl', reason: `${destCount}, expected 1–${MAX_DESTINATIONS}` } });
      }
      const destTerminalIds: string[] = [];
      for (let i = 0; i < destCount; i++) destTerminalIds.push(r.octets(tid));
      const destTerminalType = version === 0x30 ? r.u8() : 0;
      const content = r.bytes(r.u8());
      const linkId = readTail(r, version);
      return { command, sequenceId, ...head, destTerminalIds, destTerminalType, content, linkId };
    }
    case 'DELIVER': {
      const head = {
        msgId: r.u64(),
        destId: r.octets(21),
        serviceId: r.octets(10),
        tpPid: r.u8(),
        tpUdhi: r.u8(),
        msgFmt: r.u8(),
        srcTerminalId: r.octets(tid),
        srcTerminalType: version === 0x30 ? r.u8() : 0,
      };
      const registeredDelivery = r.u8();
      const content = r.bytes(r.u8());
      const linkId = readTail(r, version);
      if (registeredDelivery === 0) return { command, sequenceId, ...head, linkId, registeredDelivery, content };
      if (registeredDelivery === 1) {
        return { command, sequenceId, ...head, linkId, registeredDelivery, report: decodeStatusReport(version, content, total) };
      }
      throw new AppError('CMPP_PDU_FIELD_INVALID', { params: { command, field: 'Registered_Delivery', reason: `${registeredDelivery}, expected 0 or 1` } });
    }
  }
}

/**
 * CONNECT_RESP is read by its size (30 bytes: 2.0, 33: 3.0), not by the version asked for: an ISMG
 * that refuses a 3.0 CONNECT with "version too high" answers in its own 2.0 layout.
 */
function connectStatusSize(version: CmppVersion, total: number): 1 | 4 {
  if (total === HEADER_LENGTH + 1 + 16 + 1) return 1;
  if (total === HEADER_LENGTH + 4 + 16 + 1) return 4;
  return version === 0x20 ? 1 : 4;
}

/** The last field of SUBMIT and DELIVER: LinkID in 3.0, eight reserved bytes (ignored) in 2.0. */
function readTail(r: FieldReader, version: CmppVersion): string {
  if (version === 0x30) return r.octets(20);
  r.bytes(8);
  return '';
}

function checkVersion(version: number): asserts version is CmppVersion {
  if (version !== 0x20 && version !== 0x30) {
    throw new AppError('CMPP_VERSION_UNSUPPORTED', { params: { version: `0x${version.toString(16)}` } });
  }
}

function only30(field: string, isEmpty: boolean): void {
  if (!isEmpty) throw fieldError(field, 'exists only in CMPP 3.0');
}

function checkContent(msgFmt: number, content: Uint8Array): void {
  const max = msgFmt === MSG_FMT.ASCII ? MAX_ASCII_CONTENT : MAX_CONTENT;
  if (content.length > max) throw fieldError('Msg_Content', `${content.length} bytes, at most ${max} for Msg_Fmt ${msgFmt}`);
}
