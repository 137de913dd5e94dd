import { parseCsv } from '../applications/csv.ts';
import type { WasteCause } from './schema.ts';

/**
 * Pure checks for what banks and producers send back: bank account numbers, card numbers, chip data
 * and production result rows. Each check answers the error code a clerk (or the sender's system) reads.
 */

export interface FieldProblem {
  field: string;
  code: string;
}

// Bank account checks are shared with the console (which runs them before a round trip).
import { normaliseBankAccount } from '../../platform/validators/bank-account.ts';
export { luhnCheckDigit, luhnValid, maskAccountLast4, normaliseBankAccount } from '../../platform/validators/bank-account.ts';

/** Card numbers printed on the card: 6–32 upper-case letters and digits (what the database CHECK allows). */
export function normaliseCardNo(raw: string): string | null {
  const v = raw.trim().toUpperCase();
  return /^[0-9A-Z]{6,32}$/.test(v) ? v : null;
}

/** The chip's unique id as the reader prints it: 8–32 hex digits (4 to 16 bytes), kept upper-case. */
export function normaliseChipUid(raw: string): string | null {
  const v = raw.trim().replace(/[\s:]/g, '').toUpperCase();
  return /^[0-9A-F]{8,32}$/.test(v) && v.length % 2 === 0 ? v : null;
}

/** An SM3 digest as 64 hex digits, kept lower-case like the digests we store. */
export function normaliseSm3(raw: string): string | null {
  const v = raw.trim().toLowerCase();
  return /^[0-9a-f]{64}$/.test(v) ? v : null;
}

export const RESULT_COLUMNS = ['cardId', 'outcome', 'cardNo', 'chipUid', 'chipDataSm3', 'wasteReason', 'wasteCause'] as const;

export type ResultItem =
  | { ref: CardRef; outcome: 'PRODUCED'; cardNo: string; chipUid: string; chipDataSm3: string }
  | { ref: CardRef; outcome: 'WASTED'; wasteReason: string; wasteCause: WasteCause };

/** How a row names its card: by card id, or by its position in the batch's packing order. */
export type CardRef = { cardId: string } | { packingSeq: number };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return '';
}

/**
 * Checks one result row (from JSON or a CSV line) and normalises it. A row names its card by
 * `cardId` or, when that is empty, by `packingSeq`; a PRODUCED row needs the card number, the chip
 * UID and the SM3 of the chip data; a WASTED row needs a reason and whose fault it was.
 */
export function checkResultRow(record: Record<string, unknown>): { item: ResultItem | null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const cardId = text(record.cardId).trim().toLowerCase();
  const seqText = text(record.packingSeq).trim();
  let ref: CardRef | null = null;
  if (cardId !== '') {
    if (UUID.test(cardId)) ref = { cardId };
    else problems.push({ field: 'cardId', code: 'RESULT_CARD_NOT_IN_BATCH' });
  } else if (/^[1-9][0-9]{0,6}$/.test(seqText)) ref = { packingSeq: Number(seqText) };
  else problems.push({ field: seqText === '' ? 'cardId' : 'packingSeq', code: 'RESULT_CARD_REQUIRED' });

  const outcome = text(record.outcome).trim().toUpperCase();
  if (outcome === 'PRODUCED') {
    const cardNo = normaliseCardNo(text(record.cardNo));
    const chipUid = normaliseChipUid(text(record.chipUid));
    const chipDataSm3 = normaliseSm3(text(record.chipDataSm3));
    if (!cardNo) problems.push({ field: 'cardNo', code: 'CARD_NO_INVALID' });
    if (!chipUid) problems.push({ field: 'chipUid', code: 'CHIP_UID_INVALID' });
    if (!chipDataSm3) problems.push({ field: 'chipDataSm3', code: 'CHIP_DATA_INVALID' });
    if (problems.length || !ref || !cardNo || !chipUid || !chipDataSm3) return { item: null, problems };
    return { item: { ref, outcome, cardNo, chipUid, chipDataSm3 }, problems };
  }
  if (outcome === 'WASTED') {
    const wasteReason = text(record.wasteReason).trim();
    const wasteCause = text(record.wasteCause).trim().toUpperCase();
    if (wasteReason.length < 2 || wasteReason.length > 200) problems.push({ field: 'wasteReason', code: 'WASTE_REASON_REQUIRED' });
    if (wasteCause !== 'AUTHORITY_DATA' && wasteCause !== 'PRODUCER') problems.push({ field: 'wasteCause', code: 'WASTE_CAUSE_INVALID' });
    if (problems.length || !ref) return { item: null, problems };
    return { item: { ref, outcome, wasteReason, wasteCause: wasteCause as WasteCause }, problems };
  }
  problems.push({ field: 'outcome', code: 'RESULT_OUTCOME_INVALID' });
  return { item: null, problems };
}

/** What a card already shows of an earlier report, to tell a repeat from a contradiction. */
export interface ReportedCard {
  status: string;
  cardNo: string | null;
  chipUid: string | null;
  wasteCause: string | null;
  wasteReason: string | null;
}

/**
 * A result against the card as it stands: 'apply' for an ORDERED card, 'unchanged' when the card
 * already carries exactly this result (a retried report), 'conflict' when it was reported otherwise.
 * A produced card may have moved on (shipped, received…): the same production report still matches.
 */
export function compareResult(card: ReportedCard, item: ResultItem): 'apply' | 'unchanged' | 'conflict' {
  if (card.status === 'ORDERED') return 'apply';
  if (item.outcome === 'PRODUCED') {
    const produced = card.status !== 'WASTED' && card.cardNo !== null;
    return produced && card.cardNo === item.cardNo && card.chipUid === item.chipUid ? 'unchanged' : 'conflict';
  }
  return card.status === 'WASTED' && card.wasteCause === item.wasteCause && card.wasteReason === item.wasteReason ? 'unchanged' : 'conflict';
}

/** The same result for the same card twice in one file is one report; two different ones are a conflict. */
export function sameResult(a: ResultItem, b: ResultItem): boolean {
  if (a.outcome === 'PRODUCED' && b.outcome === 'PRODUCED') return a.cardNo === b.cardNo && a.chipUid === b.chipUid && a.chipDataSm3 === b.chipDataSm3;
  if (a.outcome === 'WASTED' && b.outcome === 'WASTED') return a.wasteCause === b.wasteCause && a.wasteReason === b.wasteReason;
  return false;
}

export const BANK_MATCH_COLUMNS = ['applicationNo', 'decision', 'bankAccount', 'reason'] as const;

export type BankDecision = { decision: 'MATCHED'; bankAccount: string } | { decision: 'REJECTED'; reason: string };

/** Checks one bank decision: MATCHED with a valid account number, or REJECTED with a reason (2–200 characters). */
export function checkBankDecision(record: Record<string, unknown>): { value: BankDecision | null; problems: FieldProblem[] } {
  const decision = text(record.decision).trim().toUpperCase();
  if (decision === 'MATCHED') {
    const account = normaliseBankAccount(text(record.bankAccount));
    if ('code' in account) return { value: null, problems: [{ field: 'bankAccount', code: account.code }] };
    return { value: { decision, bankAccount: account.value }, problems: [] };
  }
  if (decision === 'REJECTED') {
    const reason = text(record.reason).trim();
    if (reason.length < 2 || reason.length > 200) return { value: null, problems: [{ field: 'reason', code: 'BANK_REJECT_REASON_REQUIRED' }] };
    return { value: { decision, reason }, problems: [] };
  }
  return { value: null, problems: [{ field: 'decision', code: 'BANK_DECISION_INVALID' }] };
}

/**
 * CSV text with a header row into records keyed by column name, each with the line it starts on. A
 * header lacking a required column or naming an unknown one is reported on row 1 (CSV_HEADER_INVALID)
 * with the column as the field; `oneOf` lists columns of which at least one must be present.
 */
export function csvRecords(
  textBody: string,
  columns: readonly string[],
  required: readonly string[],
  oneOf: readonly string[] = [],
): { rows: { row: number; record: Record<string, unknown> }[]; problems: (FieldProblem & { row: number })[] } {
  const [header, ...body] = parseCsv(textBody);
  if (!header) return { rows: [], problems: [] };
  const names = header.fields.map((f) => f.trim());
  const problems = [
    ...required.filter((c) => !names.includes(c)).map((c) => ({ row: header.line, field: c, code: 'CSV_HEADER_INVALID' })),
    ...names.filter((n) => !columns.includes(n)).map((n) => ({ row: header.line, field: n, code: 'CSV_HEADER_INVALID' })),
    ...(oneOf.length && !oneOf.some((c) => names.includes(c)) ? [{ row: header.line, field: oneOf.join('|'), code: 'CSV_HEADER_INVALID' }] : []),
  ];
  if (problems.length) return { rows: [], problems };
  return { rows: body.map((r) => ({ row: r.line, record: Object.fromEntries(names.map((n, i) => [n, r.fields[i] ?? ''])) })), problems: [] };
}
