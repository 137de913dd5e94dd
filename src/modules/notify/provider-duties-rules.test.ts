import { describe, expect, it } from 'vitest';
import { shanghaiInstant } from '../calendar/zone.ts';
import { percent } from '../settlement/money.ts';
import { evaluatePenalty } from '../settlement/penalties.ts';
import { SEED_003_SMS } from '../settlement/seed-contracts.ts';
import {
  assessedRate,
  checkFaultTimes,
  faultOvertime,
  handOverDate,
  SEED_003_FAULT_LIMITS,
  usageListDaysLate,
  usageListDueOn,
} from './provider-duties-rules.ts';

const at = (date: string, hhmm: string) => {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  return shanghaiInstant(date, h * 60 + m);
};
const plus = (d: Date, minutes: number, seconds = 0) => new Date(d.getTime() + minutes * 60_000 + seconds * 1000);

describe('usage list due dates', () => {
  it('is due on the 10th of the next month, across the year end', () => {
    expect(usageListDueOn('2024-09')).toBe('2024-10-10');
    expect(usageListDueOn('2024-12')).toBe('2025-01-10');
    expect(usageListDueOn('2024-02')).toBe('2024-03-10');
  });

  it('counts calendar days after the due date, none when on time', () => {
    expect(usageListDaysLate('2024-09', '2024-10-10')).toBe(0);
    expect(usageListDaysLate('2024-09', '2024-10-01')).toBe(0);
    expect(usageListDaysLate('2024-09', '2024-10-13')).toBe(3);
    expect(usageListDaysLate('2024-12', '2025-02-01')).toBe(22);
  });

  it('refuses a malformed month', () => {
    expect(() => usageListDueOn('2024-13')).toThrowError(expect.objectContaining({ code: 'SMS_STATEMENT_MONTH_INVALID' }));
  });
});

describe('hand-over date', () => {
  const now = at('2024-10-12', '09:00');

  it("is today for the provider's own hand-over", () => {
    expect(handOverDate('2024-09', now, undefined)).toBe('2024-10-12');
  });

  it('takes the day the paper list arrived, between the month end and today', () => {
    expect(handOverDate('2024-09', now, '2024-10-01')).toBe('2024-10-01');
    expect(handOverDate('2024-09', now, '2024-10-12')).toBe('2024-10-12');
    expect(() => handOverDate('2024-09', now, '2024-10-13')).toThrowError(expect.objectContaining({ code: 'SMS_USAGE_LIST_DATE_FUTURE' }));
    expect(() => handOverDate('2024-09', now, '2024-09-30')).toThrowError(expect.objectContaining({ code: 'SMS_USAGE_LIST_DATE_BEFORE_MONTH_END' }));
    expect(() => handOverDate('2024-09', now, '2024-09-31')).toThrowError(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('refuses the list of a month that has not ended', () => {
    expect(() => handOverDate('2024-10', now, undefined)).toThrowError(expect.objectContaining({ code: 'SMS_USAGE_LIST_MONTH_OPEN' }));
  });
});

describe('fault over time', () => {
  const reportedAt = at('2024-11-05', '10:00');
  const now = at('2024-11-06', '10:00');

  it('is in time at exactly 60 minutes to arrive and 120 to clear', () => {
    expect(faultOvertime({ reportedAt, arrivedAt: plus(reportedAt, 60), clearedAt: plus(reportedAt, 120) }, SEED_003_FAULT_LIMITS, now)).toEqual({
      arrivalOverMinutes: 0,
      clearOverMinutes: 0,
      overMinutes: 0,
      overTime: false,
    });
  });

  it('counts a started minute beyond the limit as over', () => {
    expect(faultOvertime({ reportedAt, arrivedAt: plus(reportedAt, 60, 30), clearedAt: plus(reportedAt, 90) }, SEED_003_FAULT_LIMITS, now)).toMatchObject({ arrivalOverMinutes: 1, overMinutes: 1, overTime: true });
  });

  it('answers the larger of a late arrival and a late clearing', () => {
    expect(faultOvertime({ reportedAt, arrivedAt: plus(reportedAt, 70), clearedAt: plus(reportedAt, 180) }, SEED_003_FAULT_LIMITS, now)).toEqual({
      arrivalOverMinutes: 10,
      clearOverMinutes: 60,
      overMinutes: 60,
      overTime: true,
    });
  });

  it('runs on calendar minutes through the night (the service is 7×24)', () => {
    const late = at('2024-11-05', '23:30');
    expect(faultOvertime({ reportedAt: late, arrivedAt: at('2024-11-06', '00:45'), clearedAt: at('2024-11-06', '01:30') }, SEED_003_FAULT_LIMITS, now)).toMatchObject({ arrivalOverMinutes: 15, clearOverMinutes: 0 });
  });

  it('measures a step not done yet to now, and takes the limits given', () => {
    expect(faultOvertime({ reportedAt, arrivedAt: null, clearedAt: null }, SEED_003_FAULT_LIMITS, plus(reportedAt, 100))).toMatchObject({ arrivalOverMinutes: 40, clearOverMinutes: 0, overTime: true });
    expect(faultOvertime({ reportedAt, arrivedAt: plus(reportedAt, 100), clearedAt: null }, { arriveWithinMinutes: 120, clearWithinMinutes: 240 }, plus(reportedAt, 200)).overTime).toBe(false);
  });

  it('wants reported ≤ arrived ≤ cleared, nothing in the future', () => {
    const ok = { reportedAt, arrivedAt: plus(reportedAt, 10), clearedAt: plus(reportedAt, 10) };
    expect(() => checkFaultTimes(ok, now)).not.toThrow();
    expect(() => checkFaultTimes({ ...ok, arrivedAt: plus(reportedAt, -1) }, now)).toThrowError(expect.objectContaining({ code: 'SMS_FAULT_TIMES_OUT_OF_ORDER' }));
    expect(() => checkFaultTimes({ ...ok, clearedAt: plus(reportedAt, 5) }, now)).toThrowError(expect.objectContaining({ code: 'SMS_FAULT_TIMES_OUT_OF_ORDER' }));
    expect(() => checkFaultTimes({ ...ok, arrivedAt: null }, now)).toThrowError(expect.objectContaining({ code: 'SMS_FAULT_TIMES_OUT_OF_ORDER' }));
    expect(() => checkFaultTimes({ ...ok, reportedAt: plus(now, 1), arrivedAt: null, clearedAt: null }, now)).toThrowError(expect.objectContaining({ code: 'SMS_FAULT_TIME_FUTURE' }));
  });
});

describe('assessed rate', () => {
  it('is a percent within 0.5 %–2 %', () => {
    expect(assessedRate('0.5')).toEqual(percent('0.5'));
    expect(assessedRate('2')).toEqual(percent(2));
    expect(() => assessedRate('0.4')).toThrowError(expect.objectContaining({ code: 'SMS_FAULT_RATE_OUT_OF_RANGE' }));
    expect(() => assessedRate('2.01')).toThrowError(expect.objectContaining({ code: 'SMS_FAULT_RATE_OUT_OF_RANGE' }));
    expect(() => assessedRate('x')).toThrowError(expect.objectContaining({ code: 'SMS_FAULT_RATE_OUT_OF_RANGE' }));
  });
});

describe('an outstanding usage list under seed 003 §5.7', () => {
  const rule = SEED_003_SMS.penalties.find((r) => r.kind === 'LATE_STATEMENT_PER_DAY')!;
  const ctx = { contractBase: null, periodAmount: 70_000, priorCharged: 0, priorBreaches: 0 };

  it('charges the days up to the drafting day and says it is outstanding', () => {
    const r = evaluatePenalty(rule, [{ id: 'l', contractId: 'c', on: '2025-02-01', kind: 'USAGE_LIST', submittedOn: '2025-03-14', providerCaused: true, outstanding: true }], ctx);
    // 4 days × 0.5 % × 700.00 = 14.00
    expect(r.amount).toBe(1400);
    expect(r.items[0]!.formula).toBe('2025-02 (2025-03-10 → outstanding on 2025-03-14): 4 × 0.5% × 700.00 = 14.00');
  });
});
