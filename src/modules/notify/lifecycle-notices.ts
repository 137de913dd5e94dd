import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { claimPendingNotices, markNotices, type NoticeKind, type PendingNotice } from '../applications/notices.ts';
import { orgsByIds } from '../orgs/service.ts';
import { enqueueSms, type EnqueueItem } from './outbox.ts';
import { recipientPhone } from './recipients.ts';
import { approvedTemplatesByName, type SendableTemplate } from './templates-service.ts';
import { parsePlaceholders, renderTemplate } from './templates.ts';

/**
 * The template each kind of card-lifecycle notice is sent with: an APPROVED notification template of
 * this name. Every organisation may have its own; a notice uses the one of the nearest organisation
 * above (or at) the outlet that took the application, so a district can word its notices differently
 * from the city. A fixed name keeps the setting where the text is approved, with no second place to
 * configure.
 */
export const LIFECYCLE_TEMPLATE_NAMES: Record<NoticeKind, string> = {
  CARD_READY: 'card-ready',
  APPLICATION_REJECTED: 'application-rejected',
  BANK_REJECTED: 'bank-rejected',
  ENDORSEMENT_DUE: 'endorsement-due',
};

/** Placeholders each kind can fill from its notice (the payload the lifecycle wrote). */
export const LIFECYCLE_PLACEHOLDERS: Record<NoticeKind, readonly string[]> = {
  CARD_READY: ['applicationNo', 'outletName', 'cardNoMasked'],
  APPLICATION_REJECTED: ['applicationNo', 'reasons', 'note'],
  BANK_REJECTED: ['applicationNo', 'reason'],
  ENDORSEMENT_DUE: ['applicationNo', 'dueDate'],
};

const KINDS = Object.keys(LIFECYCLE_TEMPLATE_NAMES) as NoticeKind[];

function text(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

/** A notice's payload as placeholder values; reasons are listed in Chinese, all at once (一次性告知). */
export function noticeValues(kind: NoticeKind, payload: Record<string, unknown>): Record<string, string> {
  const reasons = Array.isArray(payload.reasons) ? payload.reasons.map((r: { zh?: unknown }) => text(r?.zh)).filter(Boolean) : [];
  const all: Record<string, string> = {
    applicationNo: text(payload.applicationNo),
    outletName: text(payload.outletName),
    cardNoMasked: text(payload.cardNoMasked),
    reasons: reasons.join('；'),
    note: text(payload.note) || '无',
    reason: text(payload.reason),
    dueDate: text(payload.dueDate),
  };
  return Object.fromEntries(LIFECYCLE_PLACEHOLDERS[kind].map((n) => [n, all[n]!]));
}

interface Usable extends SendableTemplate {
  kind: NoticeKind;
  orgPath: string;
  placeholders: string[];
}

/**
 * Approved templates per kind that a relay can use: notification category, and only placeholders the
 * kind can fill. A template that breaks either rule is passed over (logged), and its notices wait
 * PENDING until a usable version is approved, rather than fail by the thousand.
 */
async function usableTemplates(ctx: AppContext, q: Parameters<typeof approvedTemplatesByName>[1]): Promise<Usable[]> {
  const byName = new Map(KINDS.map((k) => [LIFECYCLE_TEMPLATE_NAMES[k], k]));
  const out: Usable[] = [];
  for (const t of await approvedTemplatesByName(ctx, q, [...byName.keys()])) {
    const kind = byName.get(t.name)!;
    const placeholders = parsePlaceholders(t.body);
    const unfillable = placeholders.filter((p) => !LIFECYCLE_PLACEHOLDERS[kind].includes(p));
    if (t.category !== 'NOTIFICATION' || unfillable.length) {
      ctx.logger.warn({ templateId: t.id, name: t.name, category: t.category, unfillable }, 'lifecycle notice template not usable');
      continue;
    }
    out.push({ ...t, kind, placeholders });
  }
  return out;
}

/** The template of the nearest organisation at or above `outletPath`. */
function nearest(templates: Usable[], kind: NoticeKind, outletPath: string | undefined): Usable | null {
  if (!outletPath) return null;
  let best: Usable | null = null;
  for (const t of templates) {
    if (t.kind === kind && outletPath.startsWith(t.orgPath) && (!best || t.orgPath.length > best.orgPath.length)) best = t;
  }
  return best;
}

function itemFor(notice: PendingNotice, template: Usable): EnqueueItem {
  const values = noticeValues(notice.kind, notice.payload);
  return {
    phone: recipientPhone(notice.phone),
    text: renderTemplate(template, Object.fromEntries(template.placeholders.map((p) => [p, values[p]!]))),
    templateId: template.id,
    senderOrgId: template.orgId,
    category: 'NOTIFICATION',
    // The notice's own key: a relay run twice, or two relays at once, queue one SMS per event.
    idempotencyKey: notice.idempotencyKey,
    // Lifecycle notices go out in batches (a delivered parcel readies hundreds of cards): they keep the quiet hours.
    quietHoursExempt: false,
  };
}

export interface RelayResult {
  /** Notices turned into an SMS (or found already queued under their key) and marked SENT. */
  sent: number;
  /** Notices that can never make a valid SMS (no mobile number, a value missing), marked FAILED. */
  failed: number;
  /** Claimed notices left PENDING because no usable template covers their outlet. */
  waiting: number;
}

/**
 * Turns up to `limit` PENDING card-lifecycle notices into SMS through their approved templates and
 * marks them, all in one transaction: the SMS rows and the SENT marks commit together, so a crash
 * queues nothing twice and loses nothing. The worker calls this in a loop until `sent + failed` is 0.
 */
export async function relayLifecycleNotices(ctx: AppContext, limit: number): Promise<RelayResult> {
  return ctx.db.orm.transaction(async (tx) => {
    const templates = await usableTemplates(ctx, tx);
    const kinds = [...new Set(templates.map((t) => t.kind))];
    const notices = await claimPendingNotices(ctx, tx, kinds, limit);
    const outlets = await orgsByIds(ctx, notices.flatMap((n) => (n.outletOrgId ? [n.outletOrgId] : [])), tx);
    const items: EnqueueItem[] = [];
    const sent: string[] = [];
    const failed: string[] = [];
    let waiting = 0;
    for (const notice of notices) {
      const template = nearest(templates, notice.kind, outlets.get(notice.outletOrgId ?? '')?.path);
      if (!template) {
        waiting++;
        continue;
      }
      try {
        items.push(itemFor(notice, template));
        sent.push(notice.id);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        ctx.logger.warn({ noticeId: notice.id, kind: notice.kind, code: err.code }, 'lifecycle notice cannot become an SMS');
        failed.push(notice.id);
      }
    }
    await enqueueSms(ctx, tx, items);
    await markNotices(tx, sent, 'SENT');
    await markNotices(tx, failed, 'FAILED');
    return { sent: sent.length, failed: failed.length, waiting };
  });
}
