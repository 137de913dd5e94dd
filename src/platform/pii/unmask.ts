import type { AppContext } from '../context.ts';
import type { Principal } from '../auth/principal.ts';
import { AppError } from '../errors/app-error.ts';

export const UNMASK_REASON_MIN = 4;

/** Reveals one encrypted field of one record if the principal may see the record; null if empty. */
export type Unmasker = (ctx: AppContext, principal: Principal, targetId: string) => Promise<string | null>;

const unmaskers = new Map<string, Unmasker>();

/** Modules register each field that can be revealed, e.g. ('user', 'phone'). */
export function registerUnmasker(targetType: string, field: string, fn: Unmasker): void {
  unmaskers.set(`${targetType}.${field}`, fn);
}

export function unmaskableFields(): string[] {
  return [...unmaskers.keys()].sort();
}

export async function unmask(ctx: AppContext, principal: Principal, input: { targetType: string; targetId: string; field: string; reason: string }) {
  if (input.reason.trim().length < UNMASK_REASON_MIN) throw new AppError('UNMASK_REASON_REQUIRED', { params: { min: UNMASK_REASON_MIN } });
  const fn = unmaskers.get(`${input.targetType}.${input.field}`);
  if (!fn) throw new AppError('VALIDATION_FAILED', { params: { reason: `${input.targetType}.${input.field} cannot be revealed` } });
  const value = await fn(ctx, principal, input.targetId);
  if (value === null) throw new AppError('NOT_FOUND');
  return value;
}
