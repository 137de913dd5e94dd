import { AppError } from '../../platform/errors/app-error.ts';

/**
 * Money of the settlement module.
 *
 * Amounts are integer fen held in ordinary numbers that must be safe integers, not bigint: they go
 * to JSON and to Drizzle int8 columns (mode 'number') without conversion, and the largest contract in
 * the seeds (27,500,000 CNY = 2.75e9 fen) is six orders of magnitude below 2^53. Unit prices are
 * milli-fen (1/1000 fen), like notify/pricing.ts, because 0.035 CNY per SMS is 3.5 fen. Every product
 * (count × price, rate × base × days) is computed in bigint, so no intermediate can overflow or lose
 * a digit, and converted back only after rounding.
 *
 * The one rounding rule: each line (a priced count, a penalty item, a share of a total) is computed
 * exactly as a fraction and rounded once to the fen, half away from zero (四舍五入; for the positive
 * amounts of a statement that is half up). Totals are sums of rounded lines and are never rounded
 * again. No seed states a rounding rule of its own.
 */

export type Fen = number;
export type MilliFen = number;

export const MILLI_FEN_PER_FEN = 1000;

/** An exact non-negative rational, e.g. 1‰ = {num: 1, den: 1000}; kept in lowest terms. */
export interface Rate {
  readonly num: number;
  readonly den: number;
}

function moneyInvalid(text: string, reason: string): AppError {
  return new AppError('SETTLEMENT_MONEY_INVALID', { params: { text, reason } });
}

function rateInvalid(text: string): AppError {
  return new AppError('SETTLEMENT_RATE_INVALID', { params: { rate: text } });
}

/** A bigint back to a number, refusing anything a number cannot hold exactly. */
export function toSafe(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) throw moneyInvalid(value.toString(), `${what} is too large`);
  return Number(value);
}

function requireSafe(value: number, what: string): bigint {
  if (!Number.isSafeInteger(value)) throw moneyInvalid(String(value), `${what} must be a safe integer`);
  return BigInt(value);
}

/** numerator / denominator rounded half away from zero; the denominator must be positive. */
export function roundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw moneyInvalid(denominator.toString(), 'a denominator must be positive');
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const rounded = (2n * magnitude + denominator) / (2n * denominator);
  return negative ? -rounded : rounded;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** A decimal text as an integer scaled by 10^scale, refusing more decimals than `scale`. */
function parseScaled(text: string, scale: number, what: string): bigint {
  const m = DECIMAL.exec(text.trim());
  if (!m) throw moneyInvalid(text, `${what} must be written like 10.85`);
  const decimals = m[3] ?? '';
  if (decimals.length > scale) throw moneyInvalid(text, `${what} has more than ${scale} decimals`);
  const magnitude = BigInt(m[2] ?? '0') * 10n ** BigInt(scale) + BigInt(decimals.padEnd(scale, '0') || '0');
  return m[1] ? -magnitude : magnitude;
}

/** "10.85" → 1085 fen. At most two decimals; a sign is allowed for adjustments. */
export function parseYuan(text: string): Fen {
  return toSafe(parseScaled(text, 2, 'an amount in yuan'), 'the amount');
}

/** "0.035" → 3500 milli-fen: a unit price, up to five decimals of a yuan, never negative. */
export function parseUnitPrice(text: string): MilliFen {
  const value = parseScaled(text, 5, 'a unit price in yuan');
  if (value < 0n) throw moneyInvalid(text, 'a unit price cannot be negative');
  return toSafe(value, 'the unit price');
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function formatScaled(value: bigint, scale: number, minDecimals: number, grouping: boolean): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  let decimals = digits.slice(digits.length - scale);
  while (decimals.length > minDecimals && decimals.endsWith('0')) decimals = decimals.slice(0, -1);
  return `${negative ? '-' : ''}${grouping ? groupThousands(whole) : whole}.${decimals}`;
}

/** 1085 → "10.85"; always exactly two decimals; `grouping` adds thousands separators for display. */
export function formatYuan(fen: Fen, opts: { grouping?: boolean } = {}): string {
  return formatScaled(requireSafe(fen, 'an amount'), 2, 2, opts.grouping ?? false);
}

/** 3500 → "0.035", 1085000 → "10.85": two decimals at least, as many as the price needs. */
export function formatUnitPrice(milliFen: MilliFen): string {
  return formatScaled(requireSafe(milliFen, 'a unit price'), 5, 2, false);
}

/** count × unit price, rounded once to the fen. */
export function lineAmount(count: number, unitPrice: MilliFen): Fen {
  return toSafe(roundHalfAwayFromZero(requireSafe(count, 'a count') * requireSafe(unitPrice, 'a unit price'), BigInt(MILLI_FEN_PER_FEN)), 'the line amount');
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function makeRate(num: bigint, den: bigint, text: string): Rate {
  if (num < 0n || den <= 0n) throw rateInvalid(text);
  const g = gcd(num, den) || 1n;
  return { num: toSafe(num / g, 'the rate'), den: toSafe(den / g, 'the rate') };
}

/** A rate written as a decimal number of `unit`ths: percent("0.5") = 5/1000. */
function rateOfDecimal(value: string | number, per: bigint, symbol: string): Rate {
  const text = String(value);
  const m = DECIMAL.exec(text.trim());
  if (!m || m[1]) throw rateInvalid(`${text}${symbol}`);
  const decimals = m[3] ?? '';
  const scale = 10n ** BigInt(decimals.length);
  return makeRate(BigInt(m[2] ?? '0') * scale + BigInt(decimals || '0'), per * scale, `${text}${symbol}`);
}

export const percent = (value: string | number): Rate => rateOfDecimal(value, 100n, '%');
export const perMille = (value: string | number): Rate => rateOfDecimal(value, 1000n, '‰');
export const basisPoints = (value: string | number): Rate => rateOfDecimal(value, 10_000n, 'bp');

/** "5%", "1‰", "25bp" → a rate; the form rules are written in on screen and in seed data. */
export function parseRate(text: string): Rate {
  const trimmed = text.trim();
  if (trimmed.endsWith('%')) return percent(trimmed.slice(0, -1));
  if (trimmed.endsWith('‰')) return perMille(trimmed.slice(0, -1));
  if (trimmed.endsWith('bp')) return basisPoints(trimmed.slice(0, -2));
  throw rateInvalid(text);
}

export function isValidRate(rate: Rate): boolean {
  return Number.isSafeInteger(rate.num) && Number.isSafeInteger(rate.den) && rate.num >= 0 && rate.den > 0;
}

/** A rate as a percentage for explanations: 1/1000 → "0.1%", 1/3 → "1/3" when no decimal is exact. */
export function formatRate(rate: Rate): string {
  let den = BigInt(rate.den);
  for (const p of [2n, 5n]) while (den % p === 0n) den /= p;
  if (den !== 1n) return `${rate.num}/${rate.den}`;
  let scale = 0;
  while ((10n ** BigInt(scale) * 100n * BigInt(rate.num)) % BigInt(rate.den) !== 0n) scale += 1;
  const scaled = (10n ** BigInt(scale) * 100n * BigInt(rate.num)) / BigInt(rate.den);
  return `${scale === 0 ? scaled.toString() : formatScaled(scaled, scale, 1, false)}%`;
}

/** base × rate × times, rounded once to the fen: 3 days × 1‰ × 1,000,000.00 CNY = 3,000.00 CNY. */
export function applyRate(base: Fen, rate: Rate, times = 1): Fen {
  const product = requireSafe(base, 'a base amount') * BigInt(rate.num) * requireSafe(times, 'a multiplier');
  return toSafe(roundHalfAwayFromZero(product, BigInt(rate.den)), 'the amount');
}

/** part / whole < rate, exactly (cross-multiplied); an empty whole is never below. */
export function ratioBelow(part: number, whole: number, rate: Rate): boolean {
  if (whole <= 0) return false;
  return requireSafe(part, 'a count') * BigInt(rate.den) < BigInt(rate.num) * requireSafe(whole, 'a count');
}

export function compareRates(a: Rate, b: Rate): number {
  const left = BigInt(a.num) * BigInt(b.den);
  const right = BigInt(b.num) * BigInt(a.den);
  return left === right ? 0 : left < right ? -1 : 1;
}

export function sumFen(values: readonly Fen[]): Fen {
  return toSafe(
    values.reduce((acc, v) => acc + requireSafe(v, 'an amount'), 0n),
    'the total',
  );
}

/**
 * Splits `total` in proportion to `weights` so the parts add up to it exactly (largest remainder;
 * ties go to the earlier part): 50 % + 50 % of 6,015,320.00 is 3,007,660.00 twice, and three
 * thirds of 100.00 are 33.34 + 33.33 + 33.33.
 */
export function allocate(total: Fen, weights: readonly number[]): Fen[] {
  const t = requireSafe(total, 'a total');
  if (t < 0n) throw moneyInvalid(String(total), 'only a non-negative total can be allocated');
  const w = weights.map((x) => requireSafe(x, 'a weight'));
  const sum = w.reduce((a, b) => a + b, 0n);
  if (w.some((x) => x < 0n) || sum === 0n) throw moneyInvalid(weights.join(','), 'weights must be non-negative and not all zero');
  const floors = w.map((x) => (t * x) / sum);
  const remainders = w.map((x, i) => ({ i, r: t * x - (floors[i] ?? 0n) * sum }));
  let left = t - floors.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    floors[i] = (floors[i] ?? 0n) + 1n;
    left -= 1n;
  }
  return floors.map((f) => toSafe(f, 'a share'));
}

/** `allocate` with the weights given as rates (milestone shares such as 50 % and 50 %). */
export function allocateByRates(total: Fen, rates: readonly Rate[]): Fen[] {
  const common = rates.reduce((acc, r) => (acc * BigInt(r.den)) / gcd(acc, BigInt(r.den)), 1n);
  return allocate(
    total,
    rates.map((r) => toSafe((BigInt(r.num) * common) / BigInt(r.den), 'a weight')),
  );
}
