import type { DeadlineUnit, PackingOrder, ProgrammeKind } from './schema.ts';

export interface Deadline {
  amount: number;
  unit: DeadlineUnit;
}

export interface ProgrammeSettings {
  productionDeadline: Deadline;
  deliveryDeadline: Deadline | null;
  productionRegionPrefix: string;
  batchSizeLimit: number;
  personalisationRetentionHours: number;
  closedApplicationRetentionDays: number;
  packingOrder: PackingOrder;
}

export const CLOSED_APPLICATION_RETENTION_DAYS = 1095;

/**
 * Defaults from the contracts: Changzhou residence permits (seed 000) are produced within 5 calendar
 * days and delivered within 10; Foshan social security cards (seed 004) within 6 working days, the
 * delivery being part of that. Personalisation data is kept 24 hours after production; a closed
 * application's personal data three years after it closed (the authority may set 30 days to 10 years).
 */
export function defaultSettings(kind: ProgrammeKind, authorityRegionCode: string | null): ProgrammeSettings {
  const region = authorityRegionCode?.slice(0, 2) ?? '';
  return kind === 'RESIDENCE_PERMIT'
    ? {
        productionDeadline: { amount: 5, unit: 'CALENDAR_DAYS' },
        deliveryDeadline: { amount: 10, unit: 'CALENDAR_DAYS' },
        productionRegionPrefix: region,
        batchSizeLimit: 1000,
        personalisationRetentionHours: 24,
        closedApplicationRetentionDays: CLOSED_APPLICATION_RETENTION_DAYS,
        packingOrder: 'BY_UNIT',
      }
    : {
        productionDeadline: { amount: 6, unit: 'WORKING_DAYS' },
        deliveryDeadline: null,
        productionRegionPrefix: region,
        batchSizeLimit: 1000,
        personalisationRetentionHours: 24,
        closedApplicationRetentionDays: CLOSED_APPLICATION_RETENTION_DAYS,
        packingOrder: 'BY_SSN',
      };
}

/** Problems with a complete set of settings; empty when it is valid. */
export function settingsProblems(s: ProgrammeSettings): string[] {
  const problems: string[] = [];
  const deadlineOk = (d: Deadline) => Number.isInteger(d.amount) && d.amount >= 1 && d.amount <= 365;
  if (!deadlineOk(s.productionDeadline)) problems.push('productionDeadline.amount must be 1–365');
  if (s.deliveryDeadline && !deadlineOk(s.deliveryDeadline)) problems.push('deliveryDeadline.amount must be 1–365');
  if (!/^[0-9]{2,6}$/.test(s.productionRegionPrefix)) problems.push('productionRegionPrefix must be 2–6 digits');
  if (!Number.isInteger(s.batchSizeLimit) || s.batchSizeLimit < 1 || s.batchSizeLimit > 100_000) problems.push('batchSizeLimit must be 1–100000');
  if (!Number.isInteger(s.personalisationRetentionHours) || s.personalisationRetentionHours < 1 || s.personalisationRetentionHours > 720) {
    problems.push('personalisationRetentionHours must be 1–720');
  }
  if (!Number.isInteger(s.closedApplicationRetentionDays) || s.closedApplicationRetentionDays < 30 || s.closedApplicationRetentionDays > 3650) {
    problems.push('closedApplicationRetentionDays must be 30–3650');
  }
  return problems;
}

/** Which kinds of organisation may receive a programme's applications and cards. */
export function receiverKindAllowed(kind: ProgrammeKind, orgKind: string): boolean {
  return orgKind === 'OUTLET' || (kind === 'SOCIAL_SECURITY_CARD' && orgKind === 'BANK');
}
