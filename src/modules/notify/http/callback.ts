import { AppError } from '../../../platform/errors/app-error.ts';
import type { GatewayInbound, GatewayReceipt } from '../gateway.ts';
import { statusFromStat } from '../receipts.ts';
import { REPLAY_WINDOW_MS, verifySignature } from './signature.ts';

/**
 * A callback from the HTTP provider, as JSON:
 * `{"receipts":[{"messageId","stat","err"?,"doneAt"?}],"inbound":[{"from","to","text","receivedAt"?}]}`.
 * Either list may be missing. Intermediate stats (ENROUTE, ACCEPTD…) are left out of `receipts`.
 */
export interface CallbackContent {
  receipts: GatewayReceipt[];
  inbound: GatewayInbound[];
}

/** Where the HTTP provider posts receipts and replies (CARDFLOW_SMS_CALLBACK_URL points here). */
export const RECEIPT_PATH = '/api/v1/sms/http-callbacks';

/** At most this many entries per callback: a bigger batch is refused rather than half processed. */
const MAX_ENTRIES = 1_000;

/**
 * Verifies a callback's signature and timestamp (see signature.ts) and reads its content; throws
 * SMS_CALLBACK_SIGNATURE_INVALID, SMS_CALLBACK_EXPIRED or SMS_CALLBACK_INVALID. Pure: the caller
 * hands the receipts on.
 */
export function verifyCallback(
  headers: Record<string, string | string[] | undefined>,
  body: string,
  secret: string,
  now: number,
  windowMs = REPLAY_WINDOW_MS,
): CallbackContent {
  verifySignature(headers, body, secret, now, windowMs);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw invalid('not JSON');
  }
  if (!isObject(parsed)) throw invalid('not a JSON object');
  const receipts = list(parsed, 'receipts').map(readReceipt).filter((r): r is GatewayReceipt => r !== null);
  const inbound = list(parsed, 'inbound').map(readInbound);
  return { receipts, inbound };
}

function invalid(reason: string): AppError {
  return new AppError('SMS_CALLBACK_INVALID', { params: { reason } });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function list(body: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const value = body[key];
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_ENTRIES) throw invalid(`${key} must be a list of at most ${MAX_ENTRIES}`);
  return value.map((entry, i) => {
    if (!isObject(entry)) throw invalid(`${key}[${i}] is not an object`);
    return entry;
  });
}

function text(entry: Record<string, unknown>, key: string, where: string): string {
  const value = entry[key];
  if (typeof value !== 'string' || value === '') throw invalid(`${where}.${key} must be a non-empty string`);
  return value;
}

function time(entry: Record<string, unknown>, key: string, where: string): Date | null {
  const value = entry[key];
  if (value === undefined || value === null) return null;
  const at = typeof value === 'string' ? new Date(value) : null;
  if (!at || Number.isNaN(at.getTime())) throw invalid(`${where}.${key} must be an ISO 8601 time`);
  return at;
}

function readReceipt(entry: Record<string, unknown>, i: number): GatewayReceipt | null {
  const where = `receipts[${i}]`;
  const messageId = text(entry, 'messageId', where);
  const stat = text(entry, 'stat', where).trim().toUpperCase();
  const status = statusFromStat(stat);
  if (status === null) return null;
  const err = entry.err;
  if (err !== undefined && err !== null && typeof err !== 'string') throw invalid(`${where}.err must be a string`);
  return { messageId, status, stat, errorCode: err ? err : status === 'DELIVERED' ? null : stat, doneAt: time(entry, 'doneAt', where) };
}

function readInbound(entry: Record<string, unknown>, i: number): GatewayInbound {
  const where = `inbound[${i}]`;
  return { from: text(entry, 'from', where), to: text(entry, 'to', where), text: text(entry, 'text', where), concat: null, receivedAt: time(entry, 'receivedAt', where) ?? new Date() };
}
