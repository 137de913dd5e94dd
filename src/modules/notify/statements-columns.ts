import { and, gte, lt, type SQL } from 'drizzle-orm';
import { addDaysToDate, shanghaiInstant } from '../calendar/zone.ts';
import { smsMessages } from './schema.ts';

/**
 * The outbox columns the billing rule of the monthly statement reads (statements-rules), shared by the
 * statement itself and by what settlement prices, so both bill the same messages the same way.
 */
export const statementColumns = {
  phoneIdx: smsMessages.phoneIdx,
  text: smsMessages.text,
  templateId: smsMessages.templateId,
  senderOrgId: smsMessages.senderOrgId,
  segments: smsMessages.segments,
  costMilliFen: smsMessages.costMilliFen,
  status: smsMessages.status,
  failureCode: smsMessages.failureCode,
  createdAt: smsMessages.createdAt,
  submittedAt: smsMessages.submittedAt,
  deliveredAt: smsMessages.deliveredAt,
  finishedAt: smsMessages.finishedAt,
};

/** Messages created in the Shanghai days `from`..`to`, both included. */
export function createdInShanghaiDays(from: string, to: string): SQL {
  return and(gte(smsMessages.createdAt, shanghaiInstant(from, 0)), lt(smsMessages.createdAt, shanghaiInstant(addDaysToDate(to, 1), 0)))!;
}
