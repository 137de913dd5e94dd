import type { ApplicationStatus } from './schema.ts';

export type ApplicationAction =
  | 'APPROVE'
  | 'REJECT'
  | 'BANK_MATCH'
  | 'BANK_REJECT'
  | 'START_PRODUCTION'
  | 'RETURN_TO_REVIEW'
  | 'CARD_READY'
  | 'CARD_REMAKE'
  | 'ISSUE'
  | 'CANCEL';

/**
 * The application state machine. An endorsement (签注) is done at the counter and starts ENDORSED;
 * everything else starts SUBMITTED and is approved or rejected. A social security card application
 * then waits for the partner bank to match the account (MATCHED, or BANK_REJECTED); only APPROVED
 * residence permits and MATCHED social security cards go into production. A prefabricated card is
 * issued at the counter straight from MATCHED. An authority-caused waste sends the application back
 * to review; a card damaged after receipt goes back into production.
 */
export const TRANSITIONS: Record<ApplicationStatus, Partial<Record<ApplicationAction, ApplicationStatus>>> = {
  SUBMITTED: { APPROVE: 'APPROVED', REJECT: 'REJECTED', CANCEL: 'CANCELLED' },
  APPROVED: { BANK_MATCH: 'MATCHED', BANK_REJECT: 'BANK_REJECTED', START_PRODUCTION: 'IN_PRODUCTION', CANCEL: 'CANCELLED' },
  MATCHED: { START_PRODUCTION: 'IN_PRODUCTION', ISSUE: 'ISSUED', CANCEL: 'CANCELLED' },
  IN_PRODUCTION: { CARD_READY: 'READY', RETURN_TO_REVIEW: 'SUBMITTED', CARD_REMAKE: 'IN_PRODUCTION', CANCEL: 'CANCELLED' },
  READY: { ISSUE: 'ISSUED', CARD_REMAKE: 'IN_PRODUCTION', CANCEL: 'CANCELLED' },
  REJECTED: {},
  BANK_REJECTED: {},
  ENDORSED: {},
  ISSUED: {},
  CANCELLED: {},
};

export const OPEN_STATUSES: readonly ApplicationStatus[] = ['SUBMITTED', 'APPROVED', 'MATCHED', 'IN_PRODUCTION', 'READY'];

export function nextStatus(from: ApplicationStatus, action: ApplicationAction): ApplicationStatus | null {
  return TRANSITIONS[from][action] ?? null;
}

export function initialStatus(kind: string): ApplicationStatus {
  return kind === 'ENDORSEMENT' ? 'ENDORSED' : 'SUBMITTED';
}

export function isOpen(status: ApplicationStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** Whether an application is waiting to be put into a production batch. */
export function readyForProduction(cardKind: string, kind: string, status: ApplicationStatus): boolean {
  if (kind === 'ENDORSEMENT' || kind === 'PREFABRICATED') return false;
  return cardKind === 'SOCIAL_SECURITY_CARD' ? status === 'MATCHED' : status === 'APPROVED';
}
