/**
 * Pure rules of shipping, receipt and issuance: how a scanned card number is read, how a scan is
 * classified against the manifest, what a confirmed receipt does to each card, and loss periods.
 */

/** How long a temporary loss (临时挂失) holds before the holder must lift it or report it formally. */
export const TEMP_LOSS_DAYS = 15;

/**
 * A card number as a clerk or a barcode scanner types it: surrounding blanks (and the scanner's Enter)
 * dropped, letters upper-cased. Null when what is left is not a card number (6–32 letters and digits).
 */
export function normaliseScannedCardNo(raw: string): string | null {
  const v = raw.replace(/[\r\n\t]/g, '').trim().toUpperCase();
  return /^[0-9A-Z]{6,32}$/.test(v) ? v : null;
}

/** The chip's unique id as a reader prints it: hex digits, separators dropped, upper-case, whole bytes. */
export function normaliseChipUid(raw: string): string | null {
  const v = raw.trim().replace(/[\s:-]/g, '').toUpperCase();
  return /^[0-9A-F]{8,32}$/.test(v) && v.length % 2 === 0 ? v : null;
}

export type ScanOutcome = 'MATCHED' | 'UNEXPECTED' | 'DUPLICATE';

export interface ScanRecord {
  cardNo: string;
  result: ScanOutcome;
  damaged: boolean;
}

/**
 * A new scan against the manifest and the scans so far: a manifest card seen for the first time is
 * MATCHED, a card not on the manifest is UNEXPECTED the first time, and any card seen before is a
 * DUPLICATE (so counting MATCHED and UNEXPECTED rows counts distinct cards).
 */
export function classifyScan(manifest: ReadonlySet<string>, previous: readonly ScanRecord[], cardNo: string): ScanOutcome {
  if (previous.some((s) => s.cardNo === cardNo && s.result !== 'DUPLICATE')) return 'DUPLICATE';
  return manifest.has(cardNo) ? 'MATCHED' : 'UNEXPECTED';
}

/**
 * Many scans in the order they were read, classified exactly as one-by-one scans would be (see
 * classifyScan) against the manifest and the card numbers already scanned: one pass, one set lookup per
 * scan, so a 10,000-card parcel is not quadratic.
 */
export function classifyScans(manifest: ReadonlySet<string>, previous: Iterable<string>, cardNos: readonly string[]): ScanOutcome[] {
  const seen = new Set(previous);
  return cardNos.map((no) => {
    if (seen.has(no)) return 'DUPLICATE';
    seen.add(no);
    return manifest.has(no) ? 'MATCHED' : 'UNEXPECTED';
  });
}

/** Most card numbers one bulk receipt request may carry (a large parcel, read by a scanner into a file). */
export const BULK_SCAN_MAX = 20_000;

export interface ScanFile {
  cardNos: string[];
  /** Lines that are not a card number: 1-based line number and the text (cut to 40 characters). */
  invalid: { line: number; text: string }[];
}

/**
 * A scanner's batch file (or a JSON list): one card number per line, read like typed scans. In a file,
 * blank lines (a trailing Enter, a scanner's separator) are skipped; anything else that is not a card
 * number (in a JSON list, a blank entry too) is listed.
 */
export function readScanLines(lines: readonly string[], skipBlank: boolean): ScanFile {
  const out: ScanFile = { cardNos: [], invalid: [] };
  lines.forEach((raw, i) => {
    if (skipBlank && raw.trim() === '') return;
    const no = normaliseScannedCardNo(raw);
    if (no) out.cardNos.push(no);
    else out.invalid.push({ line: i + 1, text: raw.trim().slice(0, 40) });
  });
  return out;
}

/** A text file's lines (CRLF, LF or CR endings; a UTF-8 byte-order mark at the start dropped). */
export function scanFileLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
}

export interface ReceiptSummary {
  expected: number;
  matched: number;
  missing: number;
  unexpected: number;
  duplicates: number;
  damaged: number;
}

export function receiptSummary(expected: number, scans: readonly ScanRecord[]): ReceiptSummary {
  const matched = scans.filter((s) => s.result === 'MATCHED');
  return {
    expected,
    matched: matched.length,
    missing: expected - matched.length,
    unexpected: scans.filter((s) => s.result === 'UNEXPECTED').length,
    duplicates: scans.filter((s) => s.result === 'DUPLICATE').length,
    damaged: matched.filter((s) => s.damaged).length,
  };
}

export interface ReceiptPlan<C> {
  received: C[];
  damaged: C[];
  missing: C[];
  unexpected: string[];
}

/**
 * What confirming a receipt does: manifest cards scanned undamaged are received, scanned damaged are
 * damaged, never scanned are missing; card numbers scanned but not on the manifest are unexpected.
 */
export function planReceipt<C extends { cardNo: string }>(manifest: readonly C[], scans: readonly ScanRecord[]): ReceiptPlan<C> {
  const matched = new Map<string, boolean>();
  for (const s of scans) if (s.result === 'MATCHED') matched.set(s.cardNo, s.damaged);
  const plan: ReceiptPlan<C> = { received: [], damaged: [], missing: [], unexpected: [] };
  for (const item of manifest) {
    const damaged = matched.get(item.cardNo);
    if (damaged === undefined) plan.missing.push(item);
    else if (damaged) plan.damaged.push(item);
    else plan.received.push(item);
  }
  plan.unexpected = [...new Set(scans.filter((s) => s.result === 'UNEXPECTED').map((s) => s.cardNo))];
  return plan;
}

/** Until when a temporary loss holds, reported at `at`. */
export function tempLossUntil(at: Date, days = TEMP_LOSS_DAYS): Date {
  return new Date(at.getTime() + days * 86_400_000);
}

/** Only the last four characters stay readable, enough to match the card in the clerk's hand. */
export function maskCardNo(cardNo: string): string {
  return '*'.repeat(Math.max(0, cardNo.length - 4)) + cardNo.slice(-4);
}

/** Shipment numbers: SH-YYYYMMDD-000001, the date in Asia/Shanghai. */
export function shipmentNumber(at: Date, seq: number): string {
  const day = new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
  return `SH-${day}-${String(seq).padStart(6, '0')}`;
}
