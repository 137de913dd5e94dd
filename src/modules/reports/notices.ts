import { sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { addDaysToDate, shanghaiDate } from '../calendar/zone.ts';
import { applicationScope, withoutPersonalData } from './scope.ts';

/** How far ahead a holder hears that the yearly endorsement (签注) of a residence permit is due. */
export const ENDORSEMENT_NOTICE_DAYS = 30;

/**
 * Queues ENDORSEMENT_DUE notices for residence permit holders whose yearly anniversary of the last
 * issue or endorsement falls within the next 30 days (Asia/Shanghai dates). Per person and programme
 * only the latest issue or endorsement counts (an endorsement is its own application, and the card's
 * first anniversary must not be announced again after it). The idempotency key holds the application
 * and the anniversary year, so running this every day writes each notice once. One INSERT … SELECT.
 * Returns how many notices were queued.
 */
export async function queueEndorsementNotices(ctx: AppContext, now: Date): Promise<number> {
  const today = shanghaiDate(now);
  const horizon = addDaysToDate(today, ENDORSEMENT_NOTICE_DAYS);
  const rows = await ctx.db.rows<{ id: string }>(
    null,
    sql`with latest as (
          select distinct on (a.programme_id, a.citizen_id_idx)
                 a.id, a.status, a.phone_enc, a.application_no, timezone('Asia/Shanghai', e.at)::date as base
            from applications a
            join application_events e on e.application_id = a.id and e.type in ('ISSUED','ENDORSED')
           where a.card_kind = 'RESIDENCE_PERMIT'
           order by a.programme_id, a.citizen_id_idx, e.at desc
        ), first_try as (
          select l.*, (l.base + make_interval(years => greatest(1, extract(year from ${today}::date)::int - extract(year from l.base)::int)))::date as candidate
            from latest l
           where l.status in ('ISSUED','ENDORSED')
        ), due as (
          select f.*, case when f.candidate < ${today}::date
                           then (f.base + make_interval(years => greatest(1, extract(year from ${today}::date)::int - extract(year from f.base)::int) + 1))::date
                           else f.candidate end as due_date
            from first_try f
        )
        insert into notification_outbox (kind, application_id, recipient_phone_enc, payload, idempotency_key)
        select 'ENDORSEMENT_DUE', d.id, d.phone_enc,
               jsonb_build_object('applicationNo', d.application_no, 'dueDate', to_char(d.due_date, 'YYYY-MM-DD')),
               'ENDORSEMENT_DUE:' || d.id || ':' || extract(year from d.due_date)::int
          from due d
         where d.due_date between ${today}::date and ${horizon}::date
        on conflict (idempotency_key) do nothing
        returning id`,
  );
  return rows.length;
}

export interface NoticeQuery {
  kind?: string;
  status?: string;
  limit?: number;
  offset?: number;
}

export interface NoticeView {
  id: string;
  kind: string;
  status: string;
  applicationNo: string | null;
  programmeName: string | null;
  outletName: string | null;
  /** The masked mobile number of the application; the encrypted recipient is never opened here. */
  recipientMasked: string | null;
  payload: Record<string, unknown>;
  createdAt: string;
}

/** The notification outbox as the SMS module will see it, newest first, within the principal's applications. */
export async function listNotifications(ctx: AppContext, principal: Principal, q: NoticeQuery): Promise<{ items: NoticeView[]; total: number }> {
  const where = sql`${applicationScope(principal)}
    and ${q.kind ? sql`n.kind = ${q.kind}` : sql`true`}
    and ${q.status ? sql`n.status = ${q.status}` : sql`true`}`;
  const from = sql`notification_outbox n
    join applications a on a.id = n.application_id
    join organisations o on o.id = a.outlet_org_id
    join programmes p on p.id = a.programme_id`;
  const [rows, total] = await Promise.all([
    ctx.db.rows<{ id: string; kind: string; status: string; application_no: string; programme_name: string; outlet_name: string; phone_masked: string; payload: Record<string, unknown>; created_at: Date | string }>(
      null,
      sql`select n.id, n.kind, n.status, a.application_no, p.name as programme_name, o.name as outlet_name, a.phone_masked, n.payload, n.created_at
            from ${from} where ${where}
           order by n.created_at desc, n.id
           limit ${q.limit ?? 50} offset ${q.offset ?? 0}`,
    ),
    ctx.db.rows<{ total: unknown }>(null, sql`select count(*) as total from ${from} where ${where}`),
  ]);
  return {
    total: Number(total[0]?.total ?? 0),
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      status: r.status,
      applicationNo: r.application_no,
      programmeName: r.programme_name,
      outletName: r.outlet_name,
      recipientMasked: r.phone_masked,
      payload: withoutPersonalData(r.payload),
      createdAt: new Date(r.created_at).toISOString(),
    })),
  };
}
