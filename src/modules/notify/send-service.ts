import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import { listApiKeys } from '../../platform/auth/service.ts';
import type { Tx } from '../../platform/db/engine.ts';
import { orgInScope, type Principal } from '../../platform/auth/principal.ts';
import { maskPhone } from '../../platform/crypto/masking.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { contactsOfApplications } from '../applications/notices.ts';
import { cardsWaitingAt } from '../cards/service.ts';
import { addDaysToDate, shanghaiDate, shanghaiInstant } from '../calendar/zone.ts';
import { orgIdsInScope, orgsByIds, userNamesByIds } from '../orgs/service.ts';
import { enqueueSms, type EnqueueItem } from './outbox.ts';
import { MAX_CAMPAIGN_RECIPIENTS, recipientPhone, recipientsFromCsv, type Recipient } from './recipients.ts';
import { smsMessages } from './schema.ts';
import type { SmsCategory } from './states.ts';
import { smsCampaigns, smsClientQuotas, smsClientUsage, smsTemplates } from './templates-schema.ts';
import { approvedTemplate, tariffOf, type SendableTemplate } from './templates-service.ts';
import { assertCategoryAllowed, parsePlaceholders, previewText, renderTemplate, type CampaignSource } from './templates.ts';

/**
 * A single message and an API send carry the caller's own key; it is namespaced by the caller, so
 * two systems using the same key never collapse into one message and a retry never makes a second.
 */
function sendKey(principal: Principal, key: string): string {
  return `send:${principal.type}:${principal.id}:${key}`;
}

export interface SendOneInput {
  templateId: string;
  phone: string;
  values: Record<string, string>;
  channel: SmsCategory;
  idempotencyKey: string;
  /** Sends now even in the quiet hours: for a notice a holder is waiting for, such as a pickup code. */
  quietHoursExempt?: boolean;
}

export async function sendOne(ctx: AppContext, principal: Principal, input: SendOneInput) {
  const template = await approvedTemplate(ctx, principal, input.templateId);
  assertCategoryAllowed(template.category, input.channel);
  const phone = recipientPhone(input.phone);
  const text = renderTemplate(template, input.values);
  const result = await ctx.db.orm.transaction(async (tx) => {
    const [queued] = await enqueueSms(ctx, tx, [
      {
        phone,
        text,
        templateId: template.id,
        senderOrgId: template.orgId,
        category: template.category,
        idempotencyKey: sendKey(principal, input.idempotencyKey),
        quietHoursExempt: input.quietHoursExempt ?? false,
      },
    ]);
    // Over the cap, the throw rolls the message back with the count.
    if (queued!.created && principal.type === 'API_KEY') await chargeQuota(tx, principal.id, new Date());
    return queued!;
  });
  return { id: result.id, status: result.status, created: result.created, phoneMasked: maskPhone(phone), ...previewText(text, tariffOf(ctx)) };
}

// ---- per-client quotas (API keys) ----

/** Messages a day an API key may queue unless its quota says otherwise: the whole city's average day (3.6 million a year). */
export const DEFAULT_DAILY_QUOTA = 10_000;

async function chargeQuota(tx: Tx, apiKeyId: string, at: Date): Promise<void> {
  const [quota] = await tx.select({ limit: smsClientQuotas.dailyLimit }).from(smsClientQuotas).where(eq(smsClientQuotas.apiKeyId, apiKeyId));
  const limit = quota?.limit ?? DEFAULT_DAILY_QUOTA;
  const counted =
    limit > 0 &&
    (
      await tx
        .insert(smsClientUsage)
        .values({ apiKeyId, day: shanghaiDate(at), sent: 1 })
        .onConflictDoUpdate({ target: [smsClientUsage.apiKeyId, smsClientUsage.day], set: { sent: sql`${smsClientUsage.sent} + 1` }, setWhere: sql`${smsClientUsage.sent} < ${limit}` })
        .returning({ sent: smsClientUsage.sent })
    ).length > 0;
  if (!counted) throw new AppError('SMS_QUOTA_EXCEEDED', { params: { limit } });
}

/** The API keys the principal manages, with their daily cap and what they sent today (Asia/Shanghai). */
export async function listQuotas(ctx: AppContext, principal: Principal) {
  const keys = (await listApiKeys(ctx, principal)).filter((k) => k.revokedAt === null);
  if (keys.length === 0) return { items: [] };
  const ids = keys.map((k) => k.id);
  const [quotas, usage] = await Promise.all([
    ctx.db.orm.select().from(smsClientQuotas).where(inArray(smsClientQuotas.apiKeyId, ids)),
    ctx.db.orm
      .select()
      .from(smsClientUsage)
      .where(and(inArray(smsClientUsage.apiKeyId, ids), eq(smsClientUsage.day, shanghaiDate(new Date())))),
  ]);
  const limits = new Map(quotas.map((q) => [q.apiKeyId, q.dailyLimit]));
  const sent = new Map(usage.map((u) => [u.apiKeyId, u.sent]));
  return {
    items: keys.map((k) => ({
      apiKeyId: k.id,
      name: k.name,
      prefix: k.prefix,
      orgName: k.orgName,
      dailyLimit: limits.get(k.id) ?? DEFAULT_DAILY_QUOTA,
      custom: limits.has(k.id),
      sentToday: sent.get(k.id) ?? 0,
    })),
  };
}

export async function setQuota(ctx: AppContext, principal: Principal, apiKeyId: string, dailyLimit: number): Promise<void> {
  if (!(await listApiKeys(ctx, principal)).some((k) => k.id === apiKeyId)) throw new AppError('NOT_FOUND');
  await ctx.db.orm
    .insert(smsClientQuotas)
    .values({ apiKeyId, dailyLimit })
    .onConflictDoUpdate({ target: smsClientQuotas.apiKeyId, set: { dailyLimit, updatedAt: new Date() } });
}

// ---- campaigns ----

export type CampaignRecipients = { source: 'CSV'; csv: string } | { source: 'CARD_QUERY'; outletOrgId: string; minDays: number };

export interface CampaignInput {
  templateId: string;
  channel: SmsCategory;
  recipients: CampaignRecipients;
}

/** Placeholders a card-query campaign can fill, for each card waiting at the counter. */
export const CARD_QUERY_PLACEHOLDERS = ['applicationNo', 'outletName', 'days'] as const;

interface Plan {
  template: SendableTemplate;
  recipients: Recipient[];
  sourceDetail: Record<string, unknown>;
}

async function planCampaign(ctx: AppContext, principal: Principal, input: CampaignInput): Promise<Plan> {
  const template = await approvedTemplate(ctx, principal, input.templateId);
  assertCategoryAllowed(template.category, input.channel);
  if (input.recipients.source === 'CSV') {
    return { template, recipients: recipientsFromCsv(input.recipients.csv, template), sourceDetail: {} };
  }
  const { outletOrgId, minDays } = input.recipients;
  const outlet = (await orgsByIds(ctx, [outletOrgId])).get(outletOrgId);
  if (!outlet || !orgInScope(principal, outlet.path)) throw new AppError('NOT_FOUND');
  // "More than N days" in Shanghai calendar days: received before the start of the day N days ago.
  const before = shanghaiInstant(addDaysToDate(shanghaiDate(new Date()), -minDays), 0);
  const cards = await cardsWaitingAt(ctx, outletOrgId, before, MAX_CAMPAIGN_RECIPIENTS);
  const contacts = new Map((await contactsOfApplications(ctx, cards.map((c) => c.applicationId))).map((c) => [c.applicationId, c]));
  const used = parsePlaceholders(template.body);
  const seen = new Set<string>();
  const recipients: Recipient[] = [];
  cards.forEach((card, i) => {
    const contact = contacts.get(card.applicationId);
    if (!contact || seen.has(contact.phone)) return;
    seen.add(contact.phone);
    const available: Record<string, string> = { applicationNo: contact.applicationNo, outletName: outlet.name, days: String(minDays) };
    const values = Object.fromEntries(used.filter((n) => n in available).map((n) => [n, available[n]!]));
    recipients.push({ row: i + 1, phone: contact.phone, text: renderTemplate(template, values) });
  });
  return { template, recipients, sourceDetail: { outletOrgId, outletName: outlet.name, minDays } };
}

function summarise(ctx: AppContext, recipients: Recipient[]) {
  const tariff = tariffOf(ctx);
  let segments = 0;
  let costMilliFen = 0;
  const bySegments: Record<string, number> = {};
  for (const r of recipients) {
    const p = previewText(r.text, tariff);
    segments += p.segments;
    costMilliFen += p.costMilliFen;
    bySegments[p.segments] = (bySegments[p.segments] ?? 0) + 1;
  }
  return { recipients: recipients.length, segments, costMilliFen, bySegments };
}

/** What a campaign would send, before anything is queued: counts, segments, cost and a few samples. */
export async function previewCampaign(ctx: AppContext, principal: Principal, input: CampaignInput) {
  const plan = await planCampaign(ctx, principal, input);
  return {
    ...summarise(ctx, plan.recipients),
    samples: plan.recipients.slice(0, 3).map((r) => ({ row: r.row, phoneMasked: maskPhone(r.phone), ...previewText(r.text, tariffOf(ctx)) })),
  };
}

/**
 * Queues a campaign: the campaign row and all its messages in one transaction, so a failure queues
 * nothing. `requestKey` (one per confirm button press) makes a repeated confirm return the campaign
 * already made instead of sending it twice.
 */
export async function createCampaign(ctx: AppContext, principal: Principal, input: CampaignInput & { name: string; requestKey: string; quietHoursExempt?: boolean }): Promise<string> {
  if (principal.type !== 'USER') throw new AppError('FORBIDDEN');
  const [existing] = await ctx.db.orm
    .select({ id: smsCampaigns.id })
    .from(smsCampaigns)
    .where(and(eq(smsCampaigns.orgId, principal.orgId), eq(smsCampaigns.requestKey, input.requestKey)));
  if (existing) return existing.id;
  const plan = await planCampaign(ctx, principal, input);
  if (plan.recipients.length === 0) throw new AppError('SMS_CAMPAIGN_NO_RECIPIENTS');
  const summary = summarise(ctx, plan.recipients);
  const source: CampaignSource = input.recipients.source;
  return ctx.db.orm.transaction(async (tx) => {
    const [row] = await tx
      .insert(smsCampaigns)
      .values({
        orgId: principal.orgId,
        requestKey: input.requestKey,
        name: input.name.trim(),
        templateId: plan.template.id,
        source,
        sourceDetail: plan.sourceDetail,
        recipients: summary.recipients,
        queued: 0,
        segments: summary.segments,
        costMilliFen: summary.costMilliFen,
        createdById: principal.id,
      })
      .onConflictDoNothing()
      .returning({ id: smsCampaigns.id });
    // A concurrent confirm with the same key won the insert: its campaign is the one.
    if (!row) throw new AppError('CONFLICT', { params: { reason: 'the campaign is being created by another request' } });
    const items: EnqueueItem[] = plan.recipients.map((r) => ({
      phone: r.phone,
      text: r.text,
      templateId: plan.template.id,
      senderOrgId: plan.template.orgId,
      category: plan.template.category,
      idempotencyKey: `campaign:${row.id}:${r.row}`,
      quietHoursExempt: input.quietHoursExempt ?? false,
      campaignId: row.id,
    }));
    const results = await enqueueSms(ctx, tx, items);
    const queued = results.filter((r) => r.status === 'QUEUED').length;
    await tx.update(smsCampaigns).set({ queued }).where(eq(smsCampaigns.id, row.id));
    return row.id;
  });
}

type CampaignRow = typeof smsCampaigns.$inferSelect;

/** Where a campaign's messages are now, counted from the outbox: what the console refreshes while it runs. */
export interface CampaignProgress {
  queued: number;
  submitted: number;
  delivered: number;
  failed: number;
  expired: number;
  held: number;
  blocked: number;
  /** Nothing left queued, on its way or held for review. */
  finished: boolean;
}

const PROGRESS_KEYS = { QUEUED: 'queued', SUBMITTED: 'submitted', DELIVERED: 'delivered', FAILED: 'failed', EXPIRED: 'expired', HELD: 'held', BLOCKED: 'blocked' } as const;

async function campaignProgress(ctx: AppContext, ids: string[]): Promise<Map<string, CampaignProgress>> {
  const out = new Map<string, CampaignProgress>();
  for (const id of ids) out.set(id, { queued: 0, submitted: 0, delivered: 0, failed: 0, expired: 0, held: 0, blocked: 0, finished: true });
  if (ids.length === 0) return out;
  const rows = await ctx.db.orm
    .select({ campaignId: smsMessages.campaignId, status: smsMessages.status, n: sql<number>`count(*)::int` })
    .from(smsMessages)
    .where(inArray(smsMessages.campaignId, ids))
    .groupBy(smsMessages.campaignId, smsMessages.status);
  for (const r of rows) {
    const p = out.get(r.campaignId!)!;
    p[PROGRESS_KEYS[r.status]] = Number(r.n);
    if (r.status === 'QUEUED' || r.status === 'SUBMITTED' || r.status === 'HELD') p.finished = false;
  }
  return out;
}

async function campaignViews(ctx: AppContext, rows: CampaignRow[]) {
  const templates = rows.length
    ? new Map(
        (
          await ctx.db.orm
            .select({ id: smsTemplates.id, name: smsTemplates.name, version: smsTemplates.version })
            .from(smsTemplates)
            .where(inArray(smsTemplates.id, [...new Set(rows.map((r) => r.templateId))]))
        ).map((t) => [t.id, t]),
      )
    : new Map<string, { name: string; version: number }>();
  const names = await userNamesByIds(ctx, rows.map((r) => r.createdById));
  const progress = await campaignProgress(ctx, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    templateId: r.templateId,
    templateName: templates.get(r.templateId)?.name ?? '',
    templateVersion: templates.get(r.templateId)?.version ?? 0,
    source: r.source,
    sourceDetail: r.sourceDetail,
    recipients: r.recipients,
    queued: r.queued,
    /** Recipients not queued: on the opt-out list of the signature (BLOCKED) when the campaign was made. */
    blocked: r.recipients - r.queued,
    segments: r.segments,
    costMilliFen: r.costMilliFen,
    createdByName: names.get(r.createdById) ?? null,
    createdAt: r.createdAt.toISOString(),
    progress: progress.get(r.id)!,
  }));
}

export async function listCampaigns(ctx: AppContext, principal: Principal, page: { limit?: number; offset?: number }) {
  const rows = await ctx.db.orm
    .select()
    .from(smsCampaigns)
    .where(inArray(smsCampaigns.orgId, orgIdsInScope(ctx, principal)))
    .orderBy(desc(smsCampaigns.createdAt), smsCampaigns.id)
    .limit(page.limit ?? 50)
    .offset(page.offset ?? 0);
  return { items: await campaignViews(ctx, rows) };
}

export async function getCampaign(ctx: AppContext, principal: Principal, id: string) {
  const [row] = await ctx.db.orm
    .select()
    .from(smsCampaigns)
    .where(and(eq(smsCampaigns.id, id), inArray(smsCampaigns.orgId, orgIdsInScope(ctx, principal))));
  if (!row) throw new AppError('NOT_FOUND');
  return (await campaignViews(ctx, [row]))[0]!;
}
