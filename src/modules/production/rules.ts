import { sm3 } from '../../platform/crypto/sm.ts';
import { addCalendarDays, addWorkingDays, type WorkingCalendar } from '../calendar/rules.ts';
import { addDaysToDate, shanghaiDate, shanghaiInstant } from '../calendar/zone.ts';
import type { DeadlineUnit, PackingOrder, ProgrammeKind } from '../programmes/schema.ts';

/**
 * A deadline of N days counted from an instant: the due day is N calendar days or N working days
 * after the start day (Asia/Shanghai), and the deadline is the end of that day (the next midnight).
 * "Within 5 days of receiving the data" is met by a card finished any time on the fifth day.
 */
export function dueAfter(cal: WorkingCalendar, start: Date, amount: number, unit: DeadlineUnit): { dueDate: string; dueAt: Date } {
  const startDay = shanghaiDate(start);
  const dueDate = unit === 'WORKING_DAYS' ? addWorkingDays(cal, startDay, amount) : addCalendarDays(startDay, amount);
  return { dueDate, dueAt: shanghaiInstant(addDaysToDate(dueDate, 1), 0) };
}

/** Whole calendar days a step finished after its deadline (0 when on time); settlement charges per day. */
export function daysLate(dueAt: Date, doneAt: Date): number {
  if (doneAt.getTime() <= dueAt.getTime()) return 0;
  return Math.ceil((doneAt.getTime() - dueAt.getTime()) / 86_400_000);
}

/** SLA standing of an open step: overdue after the deadline, at risk within 24 hours of it. */
export function slaStanding(dueAt: Date, doneAt: Date | null, now: Date): 'ON_TIME' | 'AT_RISK' | 'OVERDUE' | 'DONE_ON_TIME' | 'DONE_LATE' {
  if (doneAt) return doneAt.getTime() <= dueAt.getTime() ? 'DONE_ON_TIME' : 'DONE_LATE';
  if (now.getTime() > dueAt.getTime()) return 'OVERDUE';
  return dueAt.getTime() - now.getTime() <= 86_400_000 ? 'AT_RISK' : 'ON_TIME';
}

/** Whether a producer's site (its region code) lies inside the region the programme's production must stay in. */
export function producerInRegion(producerRegionCode: string | null, regionPrefix: string): boolean {
  return producerRegionCode !== null && producerRegionCode.startsWith(regionPrefix);
}

export interface PackingItem {
  receiverOrgId: string;
  receiverName: string;
  citizenId: string;
  applicationNo: string;
}

/**
 * The order cards are packed in: by receiving unit (outlet or bank branch, then application number)
 * so each parcel is one run of cards, or by social security number (= citizen ID).
 */
export function packingCompare(order: PackingOrder): (a: PackingItem, b: PackingItem) => number {
  if (order === 'BY_SSN') return (a, b) => cmp(a.citizenId, b.citizenId) || cmp(a.applicationNo, b.applicationNo);
  return (a, b) => cmp(a.receiverName, b.receiverName) || cmp(a.receiverOrgId, b.receiverOrgId) || cmp(a.applicationNo, b.applicationNo);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface RecordSource {
  cardId: string;
  applicationNo: string;
  kind: ProgrammeKind;
  name: string;
  sex: 'M' | 'F';
  ethnicity: string;
  birthDate: string;
  citizenId: string;
  hukouAddress: string | null;
  residenceAddress: string | null;
  regionCode: string | null;
  issuingAuthority: string;
  issueDate: string;
  receiverName: string;
  bankName: string | null;
  bankAccount: string | null;
  photoSm3: string | null;
}

/**
 * The personalisation record of one card: only what the card face and chip need, as one JSON line
 * with a fixed key order. Its SM3 (over the UTF-8 bytes of the line, without the newline) is what
 * the producer reports back with the finished card, proving the chip holds exactly the ordered data.
 */
export function personalisationRecord(s: RecordSource): { line: string; sm3: string } {
  const common = {
    cardId: s.cardId,
    applicationNo: s.applicationNo,
    cardKind: s.kind,
    name: s.name,
    sex: s.sex,
    ethnicity: s.ethnicity,
    birthDate: s.birthDate,
  };
  const record =
    s.kind === 'RESIDENCE_PERMIT'
      ? {
          ...common,
          citizenId: s.citizenId,
          hukouAddress: s.hukouAddress,
          residenceAddress: s.residenceAddress,
          residenceRegionCode: s.regionCode,
          issuingAuthority: s.issuingAuthority,
          issueDate: s.issueDate,
          deliverTo: s.receiverName,
          photo: s.photoSm3 ? `photos/${s.cardId}.jpg` : null,
          photoSm3: s.photoSm3,
        }
      : {
          ...common,
          socialSecurityNumber: s.citizenId,
          regionCode: s.regionCode,
          issuingAuthority: s.issuingAuthority,
          issueDate: s.issueDate,
          bankName: s.bankName,
          bankAccount: s.bankAccount,
          deliverTo: s.receiverName,
          photo: s.photoSm3 ? `photos/${s.cardId}.jpg` : null,
          photoSm3: s.photoSm3,
        };
  const line = JSON.stringify(record);
  return { line, sm3: sm3(Buffer.from(line, 'utf8')).toString('hex') };
}
