import { describe, expect, it } from 'vitest';
import { parseYuan, percent } from './money.ts';
import { dueDate, paymentStanding } from './payments.ts';

const base = { amountDue: parseYuan('195605.65'), paymentTermDays: 30, interestPerDay: null, today: '2023-12-31' };

describe('payment standing', () => {
  it('is not due before an invoice, then due the payment term after the first invoice', () => {
    expect(dueDate([], 30)).toBeNull();
    expect(dueDate([{ issuedOn: '2023-11-10' }, { issuedOn: '2023-11-01' }], 30)).toBe('2023-12-01');
    expect(dueDate([{ issuedOn: '2023-11-01' }], null)).toBeNull();
    expect(paymentStanding({ ...base, invoices: [], payments: [] })).toEqual({ paid: 0, outstanding: 19560565, dueOn: null, overdue: false, interestOwed: null });
  });

  it('is overdue after the due date while anything is outstanding, and settled once paid in full', () => {
    const invoices = [{ issuedOn: '2023-11-01' }];
    const part = paymentStanding({ ...base, invoices, payments: [{ paidOn: '2023-11-20', amount: parseYuan('100000') }] });
    expect(part).toMatchObject({ paid: 10000000, outstanding: 9560565, dueOn: '2023-12-01', overdue: true });
    const full = paymentStanding({ ...base, invoices, payments: [{ paidOn: '2023-11-20', amount: parseYuan('100000') }, { paidOn: '2023-12-20', amount: parseYuan('95605.65') }] });
    expect(full).toMatchObject({ outstanding: 0, overdue: false });
  });

  it('charges interest per day on what stayed outstanding after the due date, rounded once', () => {
    // 1,000.00 due 2024-01-31; 400.00 paid 2024-02-10 (10 days late on 1,000.00), the rest still open on
    // 2024-02-20 (10 more days on 600.00): (100000 × 10 + 60000 × 10) fen-days × 0.05% = 800 fen.
    const s = paymentStanding({ amountDue: parseYuan('1000'), invoices: [{ issuedOn: '2024-01-01' }], payments: [{ paidOn: '2024-02-10', amount: parseYuan('400') }], paymentTermDays: 30, interestPerDay: percent('0.05'), today: '2024-02-20' });
    expect(s).toMatchObject({ dueOn: '2024-01-31', outstanding: 60000, overdue: true, interestOwed: 800 });
    const onTime = paymentStanding({ amountDue: parseYuan('1000'), invoices: [{ issuedOn: '2024-01-01' }], payments: [{ paidOn: '2024-01-30', amount: parseYuan('1000') }], paymentTermDays: 30, interestPerDay: percent('0.05'), today: '2024-02-20' });
    expect(onTime.interestOwed).toBe(0);
  });
});
