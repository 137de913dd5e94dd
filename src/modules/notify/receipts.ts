import { AppError } from '../../platform/errors/app-error.ts';

/** What a receipt means for our message. */
export type ReceiptStatus = 'DELIVERED' | 'FAILED' | 'EXPIRED';

export interface DeliveryReceipt {
  /** The SMSC's message id: the receipted_message_id TLV when present, else the text's id field. */
  messageId: string;
  /** Where messageId came from; the text field is cut to 10 characters by some SMSCs, the TLV never is. */
  messageIdSource: 'tlv' | 'text';
  /** Upper-case stat value (DELIVRD, UNDELIV, …) or vendor code; from message_state when the text has none. */
  stat: string;
  /** null for intermediate receipts (ENROUTE, ACCEPTD, BUFFRED): keep waiting for the final one. */
  status: ReceiptStatus | null;
  err: string | null;
  submitted: number | null;
  delivered: number | null;
  submitDate: Date | null;
  doneDate: Date | null;
  text: string | null;
}

/** The optional parameters of a deliver_sm that matter for receipts (SMPP 3.4 §5.3.2). */
export interface ReceiptTlvs {
  /** receipted_message_id (0x001E). */
  receiptedMessageId?: string;
  /** message_state (0x0427). */
  messageState?: number;
  /** network_error_code (0x0423): network type, then a 2-byte error code. */
  networkErrorCode?: Uint8Array;
}

/** message_state values (SMPP 3.4 §5.2.28) under their receipt stat names. */
const MESSAGE_STATES: Record<number, string> = {
  1: 'ENROUTE',
  2: 'DELIVRD',
  3: 'EXPIRED',
  4: 'DELETED',
  5: 'UNDELIV',
  6: 'ACCEPTD',
  7: 'UNKNOWN',
  8: 'REJECTD',
};

/**
 * Our status for a receipt stat. Only DELIVRD is a delivery. ENROUTE, ACCEPTD and BUFFRED are not
 * final (Kannel treats them the same way): the SMSC still holds the message or only customer service
 * has "read" it. EXPIRED is its own status because a resend may still reach the handset. Everything
 * else — UNDELIV, REJECTD, DELETED, UNKNOWN and the vendor codes Chinese gateways put in Stat
 * (MBBLACK, MK:0001, ID:0076…) — is a failure; the raw stat stays with the receipt for the failure report.
 */
export function statusFromStat(stat: string): ReceiptStatus | null {
  const s = stat.trim().toUpperCase();
  if (s === 'DELIVRD' || s === 'DELIVERED') return 'DELIVERED';
  if (s === 'EXPIRED') return 'EXPIRED';
  if (s === 'ENROUTE' || s === 'ACCEPTD' || s === 'ACCEPTED' || s === 'BUFFRED' || s === 'BUFFERED') return null;
  return 'FAILED';
}

const KEY = /(?:^|\s)(id|sub|dlvrd|submit[ _]date|done[ _]date|stat|err|text)\s*:/gi;

/**
 * Parses the receipt text of a deliver_sm (SMPP 3.4 Appendix B:
 * `id:… sub:… dlvrd:… submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:… err:… text:…`).
 * Tolerates what SMSCs send in practice: keys in any case, `submit_date`/`done_date`, missing fields,
 * dates with seconds, lower-case stats, extra spaces. `text:` runs to the end, whatever it contains.
 * A receipt without a message id or a stat cannot be used and raises SMS_RECEIPT_INVALID. Dates are the
 * SMSC's wall time, read at `utcOffsetMinutes` (China: +480); an impossible date becomes null rather
 * than losing the receipt.
 */
export function parseDeliveryReceipt(shortMessage: string, tlvs: ReceiptTlvs = {}, utcOffsetMinutes = 480): DeliveryReceipt {
  const fields = new Map<string, string>();
  const matches = [...shortMessage.matchAll(KEY)];
  for (let i = 0; i < matches.length; i++) {
    const m = matches[i]!;
    const key = m[1]!.toLowerCase().replace('_', ' ');
    if (fields.has(key)) continue;
    const valueStart = m.index + m[0].length;
    if (key === 'text') {
      fields.set(key, shortMessage.slice(valueStart));
      break;
    }
    const valueEnd = matches[i + 1]?.index ?? shortMessage.length;
    fields.set(key, shortMessage.slice(valueStart, valueEnd).trim());
  }

  const tlvId = tlvs.receiptedMessageId?.replace(/\0+$/, '').trim();
  const textId = fields.get('id') || undefined;
  const messageId = tlvId || textId;
  if (!messageId) throw new AppError('SMS_RECEIPT_INVALID', { params: { reason: 'no message id' } });

  const textStat = fields.get('stat')?.toUpperCase() || undefined;
  const stateStat = tlvs.messageState === undefined ? undefined : MESSAGE_STATES[tlvs.messageState];
  const stat = textStat ?? stateStat;
  if (!stat) throw new AppError('SMS_RECEIPT_INVALID', { params: { reason: 'no stat' } });

  return {
    messageId,
    messageIdSource: tlvId ? 'tlv' : 'text',
    stat,
    status: statusFromStat(stat),
    err: fields.get('err') || networkError(tlvs.networkErrorCode),
    submitted: count(fields.get('sub')),
    delivered: count(fields.get('dlvrd')),
    submitDate: receiptDate(fields.get('submit date'), utcOffsetMinutes),
    doneDate: receiptDate(fields.get('done date'), utcOffsetMinutes),
    text: fields.get('text') ?? null,
  };
}

function count(value: string | undefined): number | null {
  return value !== undefined && /^\d{1,10}$/.test(value) ? Number(value) : null;
}

function networkError(code: Uint8Array | undefined): string | null {
  if (!code || code.length !== 3) return null;
  return String((code[1]! << 8) | code[2]!).padStart(3, '0');
}

/** YYMMDDhhmm or YYMMDDhhmmss at the given offset; years are 20YY. */
function receiptDate(value: string | undefined, utcOffsetMinutes: number): Date | null {
  const m = value ? /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?$/.exec(value) : null;
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const utc = Date.UTC(2000 + y, mo - 1, d, h, mi, s);
  const check = new Date(utc);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return new Date(utc - utcOffsetMinutes * 60_000);
}

/** How each side writes message ids. SMPP leaves it open: Kannel's msg-id-type setting exists for this. */
export type IdRadix = 'hex' | 'dec';

const ID_PATTERN: Record<IdRadix, RegExp> = { dec: /^\d{1,40}$/, hex: /^[0-9a-f]{1,32}$/i };

/**
 * The canonical form of a message id written in `radix`: its value as unsigned decimal, so "0A1B" (hex)
 * and "2587" (decimal) give the same key. Store the submit_sm_resp id this way and look receipts up
 * by the same function applied to the receipt id with that side's radix.
 */
export function canonicalMessageId(id: string, radix: IdRadix): string {
  const s = id.trim();
  if (!ID_PATTERN[radix].test(s)) throw new AppError('SMS_MESSAGE_ID_INVALID', { params: { id, radix } });
  return BigInt(radix === 'hex' ? `0x${s}` : s).toString();
}

/**
 * Whether a receipt refers to the message a submit_sm_resp named.
 * With `radixes` (configured per SMSC, the reliable way) both ids are read in their side's radix and
 * compared by value. Without it: equal ignoring case and leading zeros, or equal as numbers when one
 * side is read as hexadecimal and the other as decimal — the common split, where submit_sm_resp gives
 * hex and the receipt text decimal, or the reverse. Automatic matching can confuse two short ids
 * ("10" hex is "16" decimal), so set the radixes once a gateway's behaviour is known.
 * An empty id (some simulators answer submit_sm_resp with one) matches nothing.
 */
export function matchesMessageId(submitRespId: string, receiptId: string, radixes?: { submit: IdRadix; receipt: IdRadix }): boolean {
  const a = submitRespId.trim();
  const b = receiptId.trim();
  if (a === '' || b === '') return false;
  if (radixes) {
    const va = valueIn(a, radixes.submit);
    return va !== null && va === valueIn(b, radixes.receipt);
  }
  if (a.replace(/^0+(?=.)/, '').toUpperCase() === b.replace(/^0+(?=.)/, '').toUpperCase()) return true;
  const pairs: Array<[IdRadix, IdRadix]> = [
    ['hex', 'dec'],
    ['dec', 'hex'],
  ];
  return pairs.some(([ra, rb]) => {
    const va = valueIn(a, ra);
    return va !== null && va === valueIn(b, rb);
  });
}

function valueIn(id: string, radix: IdRadix): string | null {
  return ID_PATTERN[radix].test(id) ? canonicalMessageId(id, radix) : null;
}
