import { isValidDate } from '../calendar/zone.ts';
import { parseYuan, type Fen } from '../settlement/money.ts';

/**
 * Repair events of a ticket (seed 002 §3.2(4)): parts or equipment replaced while handling a fault and
 * what that cost. Each event is one "单次" of the contract's rule: up to 10,000.00 CNY inclusive the
 * maintainer bears it, a dearer one the authority bears as a whole (settlement/penalties.ts repairSplit
 * reads it the same way and adds it to the payment).
 */

export const REPAIR_STATUSES = ['RECORDED', 'CONFIRMED', 'DISPUTED'] as const;
export type RepairStatus = (typeof REPAIR_STATUSES)[number];

/** Seed 002's threshold; the statement applies the settlement contract's own REPAIR_COST_SPLIT rule. */
export const MAINTAINER_BEARS_UP_TO: Fen = parseYuan('10000');

export const REPAIR_PART_MAX = 200;
export const REPAIR_SERIALS_MAX = 50;

export type RepairProblem = { ok: false; reason: string };

const AMOUNT = /^\d+(?:\.(\d+))?$/;

/** "12345.67" → 1234567 fen; a positive amount of at most two decimals, nothing else. */
export function parseRepairCost(text: string): { ok: true; fen: Fen } | RepairProblem {
  const trimmed = text.trim();
  const m = AMOUNT.exec(trimmed);
  if (!m) return { ok: false, reason: `the cost "${text}" must be an amount in yuan such as 12345.67` };
  if ((m[1] ?? '').length > 2) return { ok: false, reason: `the cost "${text}" has more than 2 decimals` };
  const fen = parseYuan(trimmed);
  if (fen <= 0) return { ok: false, reason: 'the cost must be more than 0' };
  return { ok: true, fen };
}

/** The repair date: a real day, not after today and not before the ticket was opened (Shanghai days). */
export function checkRepairDate(repairedOn: string, ticketOpenedOn: string, today: string): RepairProblem | null {
  if (!isValidDate(repairedOn)) return { ok: false, reason: `"${repairedOn}" is not a YYYY-MM-DD date` };
  if (repairedOn > today) return { ok: false, reason: `the repair date ${repairedOn} is in the future` };
  if (repairedOn < ticketOpenedOn) return { ok: false, reason: `the repair date ${repairedOn} is before the ticket was opened (${ticketOpenedOn})` };
  return null;
}

/** Serial numbers as entered: trimmed, blanks dropped, each once. */
export function normaliseSerials(serials: readonly string[]): string[] {
  return [...new Set(serials.map((s) => s.trim()).filter((s) => s.length > 0))];
}

/** Who bears one repair event and how much: all of it one side, never split within an event. */
export function repairShare(cost: Fen, maintainerBearsUpTo: Fen = MAINTAINER_BEARS_UP_TO): { maintainer: Fen; authority: Fen } {
  return cost > maintainerBearsUpTo ? { maintainer: 0, authority: cost } : { maintainer: cost, authority: 0 };
}
