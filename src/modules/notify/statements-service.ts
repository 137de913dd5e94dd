import { and, inArray } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { shanghaiDate } from '../calendar/zone.ts';
import { orgsByIds } from '../orgs/service.ts';
import { visible as scope } from './messages-query.ts';
import { smsMessages } from './schema.ts';
import { createdInShanghaiDays, statementColumns } from './statements-columns.ts';
import { failureReport, monthlyStatement, parseMonth, parseQuarter, type Period, type StatementMessage } from './statements-rules.ts';
import { smsTemplates } from './templates-schema.ts';

/** The messages created in the Shanghai days of `period` that the caller may see. */
async function periodRows(ctx: AppContext, principal: Principal, period: Period): Promise<StatementMessage[]> {
  return ctx.db.orm.select(statementColumns).from(smsMessages).where(and(createdInShanghaiDays(period.from, period.to), scope(ctx, principal)));
}

async function templateNames(ctx: AppContext, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.db.orm.select({ id: smsTemplates.id, name: smsTemplates.name, version: smsTemplates.version }).from(smsTemplates).where(inArray(smsTemplates.id, ids));
  return new Map(rows.map((r) => [r.id, `${r.name} v${r.version}`]));
}

/** The monthly usage statement of `month` (YYYY-MM), its lines named by organisation and template. */
export async function getMonthlyStatement(ctx: AppContext, principal: Principal, month: string) {
  const period = parseMonth(month, shanghaiDate(new Date()));
  const statement = monthlyStatement(month, period, await periodRows(ctx, principal, period));
  const orgs = await orgsByIds(ctx, statement.lines.map((l) => l.senderOrgId));
  const templates = await templateNames(ctx, [...new Set(statement.lines.flatMap((l) => (l.templateId ? [l.templateId] : [])))]);
  return {
    ...statement,
    lines: statement.lines.map((l) => ({
      ...l,
      senderOrgName: orgs.get(l.senderOrgId)?.name ?? l.senderOrgId,
      templateName: l.templateId ? (templates.get(l.templateId) ?? l.templateId) : null,
    })),
  };
}

/** The failure report of `quarter` (YYYY-Qn). */
export async function getFailureReport(ctx: AppContext, principal: Principal, quarter: string) {
  const period = parseQuarter(quarter, shanghaiDate(new Date()));
  return failureReport(quarter, period, await periodRows(ctx, principal, period));
}

export type MonthlyStatementView = Awaited<ReturnType<typeof getMonthlyStatement>>;
export type FailureReportView = Awaited<ReturnType<typeof getFailureReport>>;
