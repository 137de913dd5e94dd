import { addDaysToDate, isValidDate } from '../calendar/zone.ts';
import { applyRate, sumFen, type Fen, type Rate } from './money.ts';

/**
 * What is due on an approved statement, what was paid, and the late-payment interest where the
 * contract names a rate. Payment is due `paymentTermDays` after the first invoice (a payment term
 * runs from the supplier's invoice in the seeds' payment clauses); without an invoice nothing is due
 * yet. Interest runs per day on what is still outstanding after the due date, and the sum of
 * outstanding × days is rounded once, like every other amount.
 */

export interface PaymentFacts {
  amountDue: Fen;
  invoices: readonly { issuedOn: string }[];
  payments: readonly { paidOn: string; amount: Fen }[];
  paymentTermDays: number | null;
  interestPerDay: Rate | null;
  today: string;
}

export interface PaymentStanding {
  paid: Fen;
  outstanding: Fen;
  dueOn: string | null;
  overdue: boolean;
  /** Null when the contract names no interest. */
  interestOwed: Fen | null;
}

const MS_PER_DAY = 86_400_000;

/** Calendar days between two dates; UTC midnights are whole days apart, so the quotient is exact. */
function daysFrom(from: string, to: string): number {
  const utc = (d: string) => {
    const [y = 0, m = 1, day = 1] = d.split('-').map(Number);
    return Date.UTC(y, m - 1, day);
  };
  return (utc(to) - utc(from)) / MS_PER_DAY;
}

export function dueDate(invoices: readonly { issuedOn: string }[], paymentTermDays: number | null): string | null {
  if (paymentTermDays === null) return null;
  const first = invoices.map((i) => i.issuedOn).filter(isValidDate).sort()[0];
  return first ? addDaysToDate(first, paymentTermDays) : null;
}

export function paymentStanding(f: PaymentFacts): PaymentStanding {
  const paid = sumFen(f.payments.map((p) => p.amount));
  const outstanding = Math.max(0, f.amountDue - paid);
  const dueOn = dueDate(f.invoices, f.paymentTermDays);
  const overdue = dueOn !== null && outstanding > 0 && f.today > dueOn;
  if (f.interestPerDay === null) return { paid, outstanding, dueOn, overdue, interestOwed: null };
  if (dueOn === null) return { paid, outstanding, dueOn, overdue, interestOwed: 0 };
  // Outstanding balance × days it stayed outstanding after the due date, summed in fen-days.
  let balance = f.amountDue - sumFen(f.payments.filter((p) => p.paidOn <= dueOn).map((p) => p.amount));
  let from = dueOn;
  let fenDays = 0;
  const later = f.payments.filter((p) => p.paidOn > dueOn).sort((a, b) => a.paidOn.localeCompare(b.paidOn));
  for (const p of [...later, { paidOn: f.today > dueOn ? f.today : dueOn, amount: 0 }]) {
    const until = p.paidOn < f.today ? p.paidOn : f.today;
    if (balance > 0 && until > from) fenDays += balance * daysFrom(from, until);
    if (until > from) from = until;
    balance -= p.amount;
  }
  return { paid, outstanding, dueOn, overdue, interestOwed: applyRate(fenDays, f.interestPerDay) };
}
