import { AppError } from '../../platform/errors/app-error.ts';

/**
 * SMS prices are held in milli-fen: 1/1000 fen, i.e. 0.00001 CNY. The contract price of 0.035 CNY per
 * segment is 3.5 fen, which integer fen cannot hold, and aggregators also quote prices such as
 * 0.0325 or 0.0385 CNY that 0.1-fen units cannot hold either; five decimals of a yuan cover them all.
 * Costs stay exact per message and are rounded to fen once, on the statement total: rounding 3.5 fen
 * per message would move 0.5 fen × 3.6 million messages ≈ 18,000 CNY a year.
 */
export const MILLI_FEN_PER_YUAN = 100_000;

/** A price written in yuan ("0.035") as milli-fen (3500). */
export function parseYuanPrice(text: string): number {
  const m = /^(\d{1,6})(?:\.(\d{1,5}))?$/.exec(text.trim());
  if (!m) throw new AppError('SMS_PRICE_INVALID', { params: { price: text } });
  return Number(m[1]) * MILLI_FEN_PER_YUAN + Number((m[2] ?? '').padEnd(5, '0'));
}

/** What `segments` billed segments cost at `priceMilliFen` each; every submitted segment is billed. */
export function segmentCostMilliFen(segments: number, priceMilliFen: number): number {
  if (!Number.isSafeInteger(priceMilliFen) || priceMilliFen < 0) throw new AppError('SMS_PRICE_INVALID', { params: { price: String(priceMilliFen) } });
  return segments * priceMilliFen;
}

/** A total in milli-fen as integer fen, half a fen rounded up; for statement totals, not per message. */
export function milliFenToFen(milliFen: number): number {
  if (!Number.isSafeInteger(milliFen) || milliFen < 0) throw new AppError('SMS_PRICE_INVALID', { params: { price: String(milliFen) } });
  return Math.floor((milliFen + 500) / 1000);
}
