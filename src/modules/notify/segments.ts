import { AppError } from '../../platform/errors/app-error.ts';
import { decodeGsm7, gsm7Septets } from './gsm7.ts';
import { segmentCostMilliFen } from './pricing.ts';

export type SmsEncoding = 'GSM7' | 'UCS2';

/** Units are septets for GSM-7 and UTF-16 code units for UCS-2. */
export const LIMITS = {
  GSM7: { single: 160, part: 153 },
  UCS2: { single: 70, part: 67 },
} as const;

/** An 8-bit reference and a one-byte part count: at most 255 parts. */
export const MAX_PARTS = 255;

export interface SmsPart {
  /** 05 00 03 ref total seq, or null for a single-segment message. */
  udh: Uint8Array | null;
  /** GSM-7 as unpacked septets (one per byte, ESC before extension characters) or UTF-16BE. */
  body: Uint8Array;
  /** UDH followed by body: what goes into short_message / Msg_Content with TP_udhi = 1. */
  userData: Uint8Array;
  /** Septets or UTF-16 units of this part's text. */
  units: number;
}

export interface SegmentedSms {
  encoding: SmsEncoding;
  /** SMPP data_coding / CMPP Msg_Fmt: 0 for the default alphabet, 8 for UCS-2. */
  dataCoding: 0 | 8;
  segments: number;
  units: number;
  parts: SmsPart[];
  costMilliFen: number;
}

interface Plan {
  encoding: SmsEncoding;
  /** Each character (a code point) with its bytes; a character is never split across parts. */
  chars: Array<{ bytes: number[]; units: number }>;
  units: number;
  /** Index into `chars` where each part starts. */
  starts: number[];
}

/**
 * Plans the segmentation of a complete text; the signature 【…】 is part of the text and counts.
 * GSM-7 when every character is in the GSM 03.38 default alphabet or its extension table (extension
 * characters cost two septets), else UCS-2. One message holds 160 septets / 70 units; longer texts
 * go in parts of 153 / 67 after the 6-byte UDH. A character never straddles two parts: not a surrogate
 * pair, not an ESC and its extension code.
 */
function plan(text: string, ucs2Only: boolean): Plan {
  if (text.length === 0) throw new AppError('SMS_TEXT_EMPTY');
  // Every character costs at least one unit and no part holds more than 153, so this bound is safe
  // and keeps a runaway text from being expanded character by character.
  const maxUnits = MAX_PARTS * LIMITS.GSM7.part;
  if (text.length > maxUnits) {
    throw new AppError('SMS_TEXT_TOO_LONG', { params: { segments: `> ${MAX_PARTS}`, max: MAX_PARTS } });
  }
  const codePoints: string[] = [];
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    if (cp >= 0xd800 && cp <= 0xdfff) throw new AppError('SMS_TEXT_INVALID', { params: { index: i } });
    const ch = String.fromCodePoint(cp);
    codePoints.push(ch);
    i += ch.length;
  }
  const septets = codePoints.map(gsm7Septets);
  const encoding: SmsEncoding = !ucs2Only && septets.every((s) => s !== null) ? 'GSM7' : 'UCS2';
  const chars = codePoints.map((ch, i) => {
    if (encoding === 'GSM7') {
      const bytes = septets[i]!;
      return { bytes, units: bytes.length };
    }
    const bytes = [...Buffer.from(ch, 'utf16le').swap16()];
    return { bytes, units: ch.length };
  });
  const units = chars.reduce((sum, c) => sum + c.units, 0);
  const limits = LIMITS[encoding];
  const starts = [0];
  if (units > limits.single) {
    let used = 0;
    chars.forEach((c, i) => {
      if (used + c.units > limits.part) {
        starts.push(i);
        used = 0;
      }
      used += c.units;
    });
  }
  if (starts.length > MAX_PARTS) throw new AppError('SMS_TEXT_TOO_LONG', { params: { segments: starts.length, max: MAX_PARTS } });
  return { encoding, chars, units, starts };
}

/** Encoding and number of billed segments, without building the bytes (for previews and checks). */
export function countSegments(text: string, opts: { ucs2Only?: boolean } = {}): { encoding: SmsEncoding; segments: number; units: number } {
  const p = plan(text, opts.ucs2Only ?? false);
  return { encoding: p.encoding, segments: p.starts.length, units: p.units };
}

/**
 * Splits a text into the segments to submit, with their concatenation headers and cost.
 * `reference` must differ between long messages sent to the same handset close together, or the
 * handset mixes their parts; `priceMilliFen` is the price of one segment (see pricing.ts).
 * `ucs2Only` is for CMPP, whose Msg_Fmt 0 is ASCII rather than the GSM alphabet: every CMPP notice
 * goes as UCS-2.
 */
export function segmentText(text: string, opts: { reference: number; priceMilliFen: number; ucs2Only?: boolean }): SegmentedSms {
  const { reference, priceMilliFen } = opts;
  if (!Number.isInteger(reference) || reference < 0 || reference > 0xff) {
    throw new AppError('SMS_CONCAT_REFERENCE_INVALID', { params: { reference: String(reference) } });
  }
  const p = plan(text, opts.ucs2Only ?? false);
  const total = p.starts.length;
  const parts = p.starts.map((start, n): SmsPart => {
    const slice = p.chars.slice(start, p.starts[n + 1] ?? p.chars.length);
    const body = Uint8Array.from(slice.flatMap((c) => c.bytes));
    const udh = total === 1 ? null : Uint8Array.of(0x05, 0x00, 0x03, reference, total, n + 1);
    const userData = udh ? Uint8Array.from([...udh, ...body]) : body;
    return { udh, body, userData, units: slice.reduce((sum, c) => sum + c.units, 0) };
  });
  return {
    encoding: p.encoding,
    dataCoding: p.encoding === 'GSM7' ? 0 : 8,
    segments: total,
    units: p.units,
    parts,
    costMilliFen: segmentCostMilliFen(total, priceMilliFen),
  };
}

export interface ConcatInfo {
  reference: number;
  total: number;
  sequence: number;
}

/**
 * Separates a received user data field (short_message / Msg_Content with esm_class 0x40 or
 * TP_udhi = 1) into its header and body, reading the concatenation element with an 8-bit (IEI 00) or
 * 16-bit (IEI 08) reference; other elements are skipped.
 */
export function splitUserDataHeader(userData: Uint8Array): { concat: ConcatInfo | null; body: Uint8Array } {
  let concat: ConcatInfo | null = null;
  const udhl = userData[0];
  if (udhl === undefined || udhl + 1 > userData.length) throw udhError('the header length exceeds the data');
  const bodyStart = udhl + 1;
  for (let i = 1; i < bodyStart; ) {
    const iei = userData[i];
    const len = userData[i + 1];
    if (iei === undefined || len === undefined || i + 2 + len > bodyStart) throw udhError(`element at ${i} overruns the header`);
    const d = userData.subarray(i + 2, i + 2 + len);
    if (iei === 0x00 && len === 3) concat = { reference: d[0]!, total: d[1]!, sequence: d[2]! };
    else if (iei === 0x08 && len === 4) concat = { reference: (d[0]! << 8) | d[1]!, total: d[2]!, sequence: d[3]! };
    else if (iei === 0x00 || iei === 0x08) throw udhError(`concatenation element with length ${len}`);
    i += 2 + len;
  }
  if (concat && (concat.total === 0 || concat.sequence === 0 || concat.sequence > concat.total)) {
    throw udhError(`part ${concat.sequence} of ${concat.total}`);
  }
  return { concat, body: userData.subarray(bodyStart) };
}

/** Text of a received user data field in GSM-7 (unpacked) or UCS-2, with its concatenation header if any. */
export function decodeUserData(encoding: SmsEncoding, userData: Uint8Array, hasUdh: boolean): { concat: ConcatInfo | null; text: string } {
  const { concat, body } = hasUdh ? splitUserDataHeader(userData) : { concat: null, body: userData };
  return { concat, text: encoding === 'GSM7' ? decodeGsm7(body) : decodeUtf16be(body) };
}

export function decodeUtf16be(body: Uint8Array): string {
  if (body.length % 2 !== 0) throw new AppError('SMS_USER_DATA_INVALID', { params: { reason: 'UCS-2 data with an odd number of bytes' } });
  return Buffer.from(body).swap16().toString('utf16le');
}

/** Huawei and Tencent accept signatures of 2–16 characters; the brackets are added here, not typed in. */
const SIGNATURE_LENGTH = { min: 2, max: 16 } as const;

/** `【signature】body`, the form Chinese carriers require; the signature counts toward the length. */
export function signedText(signature: string, body: string): string {
  const sig = signature.trim();
  const length = [...sig].length;
  if (length < SIGNATURE_LENGTH.min || length > SIGNATURE_LENGTH.max || /[【】]/.test(sig)) {
    throw new AppError('SMS_SIGNATURE_INVALID', { params: SIGNATURE_LENGTH });
  }
  return `【${sig}】${body}`;
}

function udhError(reason: string): AppError {
  return new AppError('SMS_USER_DATA_INVALID', { params: { reason: `user data header: ${reason}` } });
}
