import { describe, expect, it } from 'vitest';
import { defaultSettings, receiverKindAllowed, settingsProblems } from './rules.ts';

describe('programme defaults', () => {
  it('residence permits: 5 calendar days to produce, 10 to deliver, the authority province', () => {
    expect(defaultSettings('RESIDENCE_PERMIT', '320400')).toMatchObject({
      productionDeadline: { amount: 5, unit: 'CALENDAR_DAYS' },
      deliveryDeadline: { amount: 10, unit: 'CALENDAR_DAYS' },
      productionRegionPrefix: '32',
      personalisationRetentionHours: 24,
      closedApplicationRetentionDays: 1095,
    });
  });
  it('social security cards: 6 working days, no separate delivery deadline, packed by SSN', () => {
    expect(defaultSettings('SOCIAL_SECURITY_CARD', '440600')).toMatchObject({
      productionDeadline: { amount: 6, unit: 'WORKING_DAYS' },
      deliveryDeadline: null,
      productionRegionPrefix: '44',
      packingOrder: 'BY_SSN',
    });
  });
  it('validates settings', () => {
    expect(settingsProblems(defaultSettings('RESIDENCE_PERMIT', '320400'))).toEqual([]);
    expect(settingsProblems({ ...defaultSettings('RESIDENCE_PERMIT', null) })).toEqual(['productionRegionPrefix must be 2–6 digits']);
    expect(settingsProblems({ ...defaultSettings('RESIDENCE_PERMIT', '32'), closedApplicationRetentionDays: 29 })).toEqual(['closedApplicationRetentionDays must be 30–3650']);
    expect(settingsProblems({ ...defaultSettings('RESIDENCE_PERMIT', '32'), batchSizeLimit: 0, productionDeadline: { amount: 0, unit: 'CALENDAR_DAYS' } })).toHaveLength(2);
  });
  it('banks receive social security cards only', () => {
    expect(receiverKindAllowed('SOCIAL_SECURITY_CARD', 'BANK')).toBe(true);
    expect(receiverKindAllowed('RESIDENCE_PERMIT', 'BANK')).toBe(false);
    expect(receiverKindAllowed('RESIDENCE_PERMIT', 'OUTLET')).toBe(true);
    expect(receiverKindAllowed('RESIDENCE_PERMIT', 'PRODUCER')).toBe(false);
  });
});
