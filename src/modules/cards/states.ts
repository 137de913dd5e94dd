import type { CardStatus } from './schema.ts';

export type CardAction =
  | 'PRODUCE'
  | 'WASTE'
  | 'SHIP'
  | 'RECEIVE'
  | 'REPORT_DAMAGED'
  | 'REPORT_MISSING'
  | 'ISSUE'
  | 'REPORT_LOSS_TEMP'
  | 'REPORT_LOSS_FORMAL'
  | 'LIFT_LOSS'
  | 'CANCEL';

/**
 * The card state machine. A card is ordered in a batch, produced or wasted by the producer, shipped,
 * received (or found damaged / missing) at the outlet or bank, issued to the holder, and then may be
 * reported lost (temporary loss can be lifted) or cancelled when replaced. WASTED, DAMAGED, MISSING
 * and CANCELLED end the attempt.
 */
export const CARD_TRANSITIONS: Record<CardStatus, Partial<Record<CardAction, CardStatus>>> = {
  ORDERED: { PRODUCE: 'PRODUCED', WASTE: 'WASTED' },
  PRODUCED: { SHIP: 'SHIPPED' },
  WASTED: {},
  SHIPPED: { RECEIVE: 'RECEIVED', REPORT_DAMAGED: 'DAMAGED', REPORT_MISSING: 'MISSING' },
  RECEIVED: { ISSUE: 'ISSUED', REPORT_DAMAGED: 'DAMAGED', CANCEL: 'CANCELLED' },
  DAMAGED: {},
  MISSING: {},
  ISSUED: { REPORT_LOSS_TEMP: 'LOST_TEMP', REPORT_LOSS_FORMAL: 'LOST_FORMAL', CANCEL: 'CANCELLED' },
  LOST_TEMP: { LIFT_LOSS: 'ISSUED', REPORT_LOSS_FORMAL: 'LOST_FORMAL', CANCEL: 'CANCELLED' },
  LOST_FORMAL: { CANCEL: 'CANCELLED' },
  CANCELLED: {},
};

export function nextCardStatus(from: CardStatus, action: CardAction): CardStatus | null {
  return CARD_TRANSITIONS[from][action] ?? null;
}

/** Attempts that are over: the application needs a new attempt (or nothing more) after these. */
export const ENDED_CARD_STATUSES: readonly CardStatus[] = ['WASTED', 'DAMAGED', 'MISSING', 'CANCELLED'];

export function isLive(status: CardStatus): boolean {
  return !ENDED_CARD_STATUSES.includes(status);
}
