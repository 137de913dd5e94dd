import type { ApplicationStatus } from './schema.ts';

export type ApplicationAction = 'APPROVE' | 'REJECT';

/**
 * The application state machine for intake and review. An endorsement (签注) is done at the counter and
 * starts ENDORSED; everything else starts SUBMITTED and is approved or rejected. APPROVED and REJECTED
 * are final in this slice (production takes over from APPROVED); a rejected person applies anew.
 */
export const TRANSITIONS: Record<ApplicationStatus, Partial<Record<ApplicationAction, ApplicationStatus>>> = {
  SUBMITTED: { APPROVE: 'APPROVED', REJECT: 'REJECTED' },
  APPROVED: {},
  REJECTED: {},
  ENDORSED: {},
};

export const OPEN_STATUSES: readonly ApplicationStatus[] = ['SUBMITTED', 'APPROVED'];

export function nextStatus(from: ApplicationStatus, action: ApplicationAction): ApplicationStatus | null {
  return TRANSITIONS[from][action] ?? null;
}

export function initialStatus(kind: string): ApplicationStatus {
  return kind === 'ENDORSEMENT' ? 'ENDORSED' : 'SUBMITTED';
}

export function isOpen(status: ApplicationStatus): boolean {
  return OPEN_STATUSES.includes(status);
}
