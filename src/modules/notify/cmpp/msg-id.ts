import { AppError } from '../../../platform/errors/app-error.ts';

/**
 * The 64-bit CMPP Msg_Id, most significant bit first:
 * month (4 bits) · day (5) · hour (5) · minute (6) · second (6) · ISMG gateway code (22) · sequence (16).
 */
export interface MsgIdParts {
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  gatewayId: number;
  sequence: number;
}

const FIELDS: ReadonlyArray<{ key: keyof MsgIdParts; bits: number; min: number; max: number }> = [
  { key: 'month', bits: 4, min: 1, max: 12 },
  { key: 'day', bits: 5, min: 1, max: 31 },
  { key: 'hour', bits: 5, min: 0, max: 23 },
  { key: 'minute', bits: 6, min: 0, max: 59 },
  { key: 'second', bits: 6, min: 0, max: 59 },
  { key: 'gatewayId', bits: 22, min: 0, max: 0x3f_ffff },
  { key: 'sequence', bits: 16, min: 0, max: 0xffff },
];

const UINT64_MAX = 0xffff_ffff_ffff_ffffn;

/** Splits a Msg_Id into its parts. Values a gateway should not produce (month 0, hour 25) are returned as they are. */
export function decodeMsgId(id: bigint): MsgIdParts {
  if (id < 0n || id > UINT64_MAX) throw invalid(id.toString(), 'not an unsigned 64-bit integer');
  const parts = {} as Record<keyof MsgIdParts, number>;
  let shift = 64n;
  for (const f of FIELDS) {
    shift -= BigInt(f.bits);
    parts[f.key] = Number((id >> shift) & ((1n << BigInt(f.bits)) - 1n));
  }
  return parts;
}

export function encodeMsgId(parts: MsgIdParts): bigint {
  let id = 0n;
  for (const f of FIELDS) {
    const v = parts[f.key];
    if (!Number.isInteger(v) || v < f.min || v > f.max) throw invalid(JSON.stringify(parts), `${f.key} must be ${f.min}–${f.max}`);
    id = (id << BigInt(f.bits)) | BigInt(v);
  }
  return id;
}

/**
 * The canonical text form of a Msg_Id: the unsigned decimal value. It is what we store and compare;
 * a SUBMIT_RESP id and the id inside the status report for the same message give the same string.
 */
export function msgIdToString(id: bigint): string {
  if (id < 0n || id > UINT64_MAX) throw invalid(id.toString(), 'not an unsigned 64-bit integer');
  return id.toString();
}

/**
 * Reads a Msg_Id written by another system. Accepts the unsigned decimal form, the signed form that
 * int64 readers (Java `long`, many C# and SQL gateways) print for ids from August to December — their
 * top bit is set, so those ids come out negative — and hexadecimal when prefixed with 0x.
 */
export function parseMsgId(text: string): bigint {
  const s = text.trim();
  let value: bigint;
  if (/^0x[0-9a-f]{1,16}$/i.test(s)) value = BigInt(s);
  else if (/^-?\d{1,20}$/.test(s)) value = BigInt(s);
  else throw invalid(text, 'expected a decimal number or 0x followed by hexadecimal digits');
  if (value < -(1n << 63n) || value > UINT64_MAX) throw invalid(text, 'outside the 64-bit range');
  return BigInt.asUintN(64, value);
}

/** Canonical form of an id given as text; ids that name the same Msg_Id give equal strings. */
export function canonicalMsgId(text: string): string {
  return msgIdToString(parseMsgId(text));
}

function invalid(msgId: string, reason: string): AppError {
  return new AppError('CMPP_MSG_ID_INVALID', { params: { msgId, reason } });
}
