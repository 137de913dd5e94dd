import { and, desc, eq, inArray } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { orgIdsInScope, orgsByIds, userNamesByIds } from '../orgs/service.ts';
import { smsSignatures, smsTemplates } from './templates-schema.ts';
import { parseYuanPrice } from './pricing.ts';
import { signedText } from './segments.ts';
import type { SmsCategory } from './states.ts';
import { checkTemplate, previewText, renderTemplate, sampleValues, type Tariff, type TemplateStatus, type TemplateText, type TextPreview } from './templates.ts';

type TemplateRow = typeof smsTemplates.$inferSelect;
type SignatureRow = typeof smsSignatures.$inferSelect;

/** An approved template ready to render, with the organisation that sends in its name. */
export interface SendableTemplate extends TemplateText {
  id: string;
  name: string;
  version: number;
  orgId: string;
}

function requireUser(principal: Principal): string {
  // Templates and their approval are the work of named people (the four-eyes rule compares user ids).
  if (principal.type !== 'USER') throw new AppError('FORBIDDEN');
  return principal.id;
}

/** The configured price and protocol, as the outbox bills and splits. */
export function tariffOf(ctx: AppContext): Tariff {
  return { priceMilliFen: parseYuanPrice(ctx.config.smsPriceYuan), ucs2Only: ctx.config.smsProtocol === 'cmpp' };
}

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

// ---- signatures ----

export async function listSignatures(ctx: AppContext, principal: Principal) {
  const rows = await ctx.db.orm
    .select()
    .from(smsSignatures)
    .where(inArray(smsSignatures.orgId, orgIdsInScope(ctx, principal)))
    .orderBy(smsSignatures.createdAt, smsSignatures.id);
  return { items: rows.map(signatureView) };
}

function signatureView(s: SignatureRow) {
  return { id: s.id, orgId: s.orgId, text: s.text, createdAt: s.createdAt.toISOString() };
}

/** Registers a signature for the caller's organisation (the carrier's 报备 happens outside cardflow). */
export async function createSignature(ctx: AppContext, principal: Principal, input: { text: string }) {
  const text = input.text.trim().replace(/^【(.*)】$/, '$1');
  // signedText holds the carriers' rule (2–16 characters, no 【】).
  signedText(text, '');
  const [row] = await ctx.db.orm
    .insert(smsSignatures)
    .values({ orgId: principal.orgId, text, createdById: principal.type === 'USER' ? principal.id : null })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new AppError('SMS_SIGNATURE_TAKEN', { params: { text } });
  return signatureView(row);
}

// ---- templates ----

export interface TemplateInput {
  name: string;
  signatureId: string;
  body: string;
  category: SmsCategory;
}

export async function listTemplates(ctx: AppContext, principal: Principal, q: { status?: TemplateStatus; name?: string; category?: SmsCategory }) {
  const rows = await ctx.db.orm
    .select()
    .from(smsTemplates)
    .where(
      and(
        inArray(smsTemplates.orgId, orgIdsInScope(ctx, principal)),
        q.status ? eq(smsTemplates.status, q.status) : undefined,
        q.name ? eq(smsTemplates.name, q.name) : undefined,
        q.category ? eq(smsTemplates.category, q.category) : undefined,
      ),
    )
    .orderBy(smsTemplates.name, desc(smsTemplates.version))
    .limit(500);
  return { items: await templateViews(ctx, rows) };
}

export async function getTemplate(ctx: AppContext, principal: Principal, id: string) {
  const [view] = await templateViews(ctx, [await templateRow(ctx, principal, id, ctx.db.orm)]);
  return view!;
}

async function templateRow(ctx: AppContext, principal: Principal, id: string, q: Queryable, lock = false): Promise<TemplateRow> {
  const query = q
    .select()
    .from(smsTemplates)
    .where(and(eq(smsTemplates.id, id), inArray(smsTemplates.orgId, orgIdsInScope(ctx, principal, q))));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

async function templateViews(ctx: AppContext, rows: TemplateRow[]) {
  const signatures = rows.length
    ? new Map(
        (
          await ctx.db.orm
            .select()
            .from(smsSignatures)
            .where(inArray(smsSignatures.id, [...new Set(rows.map((r) => r.signatureId))]))
        ).map((s) => [s.id, s.text]),
      )
    : new Map<string, string>();
  const names = await userNamesByIds(ctx, rows.flatMap((r) => [r.createdById, r.decidedById]));
  return rows.map((r) => {
    const t = { signature: signatures.get(r.signatureId)!, body: r.body, category: r.category };
    const placeholders = checkTemplate(t);
    return {
      id: r.id,
      orgId: r.orgId,
      name: r.name,
      version: r.version,
      signatureId: r.signatureId,
      signature: t.signature,
      body: r.body,
      category: r.category,
      status: r.status,
      placeholders,
      preview: previewText(renderTemplate(t, sampleValues(placeholders)), tariffOf(ctx)),
      createdById: r.createdById,
      createdByName: names.get(r.createdById) ?? null,
      submittedAt: iso(r.submittedAt),
      decidedById: r.decidedById,
      decidedByName: r.decidedById ? (names.get(r.decidedById) ?? null) : null,
      decidedAt: iso(r.decidedAt),
      rejectReason: r.rejectReason,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  });
}

async function signatureOf(ctx: AppContext, principal: Principal, id: string, q: Queryable): Promise<SignatureRow> {
  const [sig] = await q
    .select()
    .from(smsSignatures)
    .where(and(eq(smsSignatures.id, id), eq(smsSignatures.orgId, principal.orgId)));
  if (!sig) throw new AppError('SMS_SIGNATURE_UNKNOWN');
  return sig;
}

/** Live preview of a text being edited: nothing is stored. */
export async function previewTemplate(ctx: AppContext, principal: Principal, input: Omit<TemplateInput, 'name'> & { values?: Record<string, string> }): Promise<TextPreview & { placeholders: string[] }> {
  const sig = await signatureOf(ctx, principal, input.signatureId, ctx.db.orm);
  const t = { signature: sig.text, body: input.body, category: input.category };
  const placeholders = checkTemplate(t);
  return { ...previewText(renderTemplate(t, sampleValues(placeholders, input.values)), tariffOf(ctx)), placeholders };
}

export async function createTemplate(ctx: AppContext, principal: Principal, input: TemplateInput): Promise<string> {
  const userId = requireUser(principal);
  return ctx.db.orm.transaction(async (tx) => {
    const sig = await signatureOf(ctx, principal, input.signatureId, tx);
    checkTemplate({ signature: sig.text, body: input.body, category: input.category });
    const [row] = await tx
      .insert(smsTemplates)
      .values({ orgId: principal.orgId, name: input.name, version: 1, signatureId: sig.id, body: input.body, category: input.category, createdById: userId })
      .onConflictDoNothing()
      .returning({ id: smsTemplates.id });
    // Any version of the name blocks a new version 1; later versions come from editing.
    if (!row) throw new AppError('SMS_TEMPLATE_NAME_TAKEN', { params: { name: input.name } });
    return row.id;
  });
}

/**
 * Edits a template. A DRAFT or REJECTED version changes in place (a rejected one goes back to DRAFT);
 * an APPROVED version stays as approved and the edit becomes the next version, a DRAFT. A version
 * waiting for approval cannot change under its approver's eyes. Returns the id of the edited version.
 */
export async function updateTemplate(ctx: AppContext, principal: Principal, id: string, input: Omit<TemplateInput, 'name'>): Promise<string> {
  const userId = requireUser(principal);
  return ctx.db.orm.transaction(async (tx) => {
    const row = await templateRow(ctx, principal, id, tx, true);
    const sig = await signatureOf(ctx, { ...principal, orgId: row.orgId }, input.signatureId, tx);
    checkTemplate({ signature: sig.text, body: input.body, category: input.category });
    const fields = { signatureId: sig.id, body: input.body, category: input.category };
    if (row.status === 'DRAFT' || row.status === 'REJECTED') {
      await tx
        .update(smsTemplates)
        .set({ ...fields, status: 'DRAFT', createdById: userId, submittedAt: null, decidedById: null, decidedAt: null, rejectReason: null, updatedAt: new Date() })
        .where(eq(smsTemplates.id, row.id));
      return row.id;
    }
    if (row.status !== 'APPROVED') throw new AppError('SMS_TEMPLATE_STATE_INVALID', { params: { status: row.status, action: 'edited' } });
    const [latest] = await tx
      .select()
      .from(smsTemplates)
      .where(and(eq(smsTemplates.orgId, row.orgId), eq(smsTemplates.name, row.name)))
      .orderBy(desc(smsTemplates.version))
      .limit(1);
    if (latest && latest.id !== row.id && (latest.status === 'DRAFT' || latest.status === 'PENDING_APPROVAL')) {
      throw new AppError('SMS_TEMPLATE_DRAFT_EXISTS', { params: { name: row.name, version: latest.version } });
    }
    const [created] = await tx
      .insert(smsTemplates)
      .values({ ...fields, orgId: row.orgId, name: row.name, version: (latest?.version ?? row.version) + 1, createdById: userId })
      .returning({ id: smsTemplates.id });
    return created!.id;
  });
}

type Decision = { action: 'submit' } | { action: 'approve' } | { action: 'reject'; reason: string };

const DECISION_FROM: Record<Decision['action'], TemplateStatus> = { submit: 'DRAFT', approve: 'PENDING_APPROVAL', reject: 'PENDING_APPROVAL' };

/**
 * DRAFT → PENDING_APPROVAL (the author or a colleague submits) → APPROVED | REJECTED by someone who
 * did not write it. Approving a version supersedes the version approved before it, in the same
 * transaction, so a name always has at most one text in use.
 */
export async function decideTemplate(ctx: AppContext, principal: Principal, id: string, decision: Decision): Promise<void> {
  const userId = requireUser(principal);
  await ctx.db.orm.transaction(async (tx) => {
    const row = await templateRow(ctx, principal, id, tx, true);
    if (row.status !== DECISION_FROM[decision.action]) {
      throw new AppError('SMS_TEMPLATE_STATE_INVALID', { params: { status: row.status, action: decision.action === 'submit' ? 'submitted' : `${decision.action}d` } });
    }
    const now = new Date();
    if (decision.action === 'submit') {
      await tx.update(smsTemplates).set({ status: 'PENDING_APPROVAL', submittedAt: now, updatedAt: now }).where(eq(smsTemplates.id, row.id));
      return;
    }
    if (row.createdById === userId) throw new AppError('SMS_TEMPLATE_SELF_APPROVAL');
    if (decision.action === 'reject') {
      await tx
        .update(smsTemplates)
        .set({ status: 'REJECTED', decidedById: userId, decidedAt: now, rejectReason: decision.reason.trim(), updatedAt: now })
        .where(eq(smsTemplates.id, row.id));
      return;
    }
    await tx
      .update(smsTemplates)
      .set({ status: 'SUPERSEDED', updatedAt: now })
      .where(and(eq(smsTemplates.orgId, row.orgId), eq(smsTemplates.name, row.name), eq(smsTemplates.status, 'APPROVED')));
    await tx.update(smsTemplates).set({ status: 'APPROVED', decidedById: userId, decidedAt: now, updatedAt: now }).where(eq(smsTemplates.id, row.id));
  });
}

// ---- for sending ----

function sendable(row: TemplateRow, signature: string): SendableTemplate {
  return { id: row.id, name: row.name, version: row.version, orgId: row.orgId, signature, body: row.body, category: row.category };
}

/** An APPROVED template the principal may send with; any other status is SMS_TEMPLATE_NOT_APPROVED. */
export async function approvedTemplate(ctx: AppContext, principal: Principal, id: string, q: Queryable = ctx.db.orm): Promise<SendableTemplate> {
  const row = await templateRow(ctx, principal, id, q);
  if (row.status !== 'APPROVED') throw new AppError('SMS_TEMPLATE_NOT_APPROVED', { params: { name: `${row.name} v${row.version}` } });
  const [sig] = await q.select().from(smsSignatures).where(eq(smsSignatures.id, row.signatureId));
  return sendable(row, sig!.text);
}

/**
 * The approved templates named one of `names`, with the path of their organisation: the lifecycle
 * relay picks, per notice, the template of the nearest organisation above the application's outlet.
 */
export async function approvedTemplatesByName(ctx: AppContext, q: Queryable, names: string[]): Promise<(SendableTemplate & { orgPath: string })[]> {
  if (names.length === 0) return [];
  const rows = await q
    .select({ t: smsTemplates, signature: smsSignatures.text })
    .from(smsTemplates)
    .innerJoin(smsSignatures, eq(smsSignatures.id, smsTemplates.signatureId))
    .where(and(eq(smsTemplates.status, 'APPROVED'), inArray(smsTemplates.name, names)));
  const orgs = await orgsByIds(ctx, rows.map((r) => r.t.orgId), q);
  return rows.map(({ t, signature }) => ({ ...sendable(t, signature), orgPath: orgs.get(t.orgId)!.path }));
}
