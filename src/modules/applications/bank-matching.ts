import { and, asc, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { anyOf } from '../../platform/db/any-of.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable, Tx } from '../../platform/db/engine.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { decryptField, encryptField } from '../../platform/crypto/field-cipher.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { orgIdsInScope, orgsByIds } from '../orgs/service.ts';
import { programmeNames } from '../programmes/service.ts';
import { checkBankDecision, maskAccountLast4, type BankDecision, type FieldProblem } from '../cards/rules.ts';
import { applications, type ApplicationStatus } from './schema.ts';
import { moveApplications, type ApplicationMove, type MoveActor } from './progress.ts';

/**
 * Bank account matching for social security cards (seed 004: the bank opens the account and matches
 * it to the approved application; the producer's 6-working-day clock starts at the match). Only the
 * application's own bank (the bank organisation chosen at intake) sees and decides it.
 */

/** Bank organisations whose applications the principal may match: its own, or banks in an authority's subtree. */
async function bankOrgIds(ctx: AppContext, q: Queryable, principal: Principal): Promise<string[]> {
  if (principal.scope !== 'subtree') return [principal.orgId];
  const inScope = (await orgIdsInScope(ctx, principal, q)).map((r) => r.id);
  return [...(await orgsByIds(ctx, inScope, q)).values()].filter((o) => o.kind === 'BANK').map((o) => o.id);
}

export interface BankQueueFilter {
  programmeId?: string;
  outletId?: string;
  applicationNo?: string;
  limit?: number;
  offset?: number;
}

/** APPROVED social security card applications waiting for the principal's bank, longest waiting first; masked. */
export async function listBankQueue(ctx: AppContext, principal: Principal, filter: BankQueueFilter) {
  const banks = await bankOrgIds(ctx, ctx.db.orm, principal);
  if (banks.length === 0) return { items: [], total: 0 };
  const conditions: SQL[] = [eq(applications.cardKind, 'SOCIAL_SECURITY_CARD'), eq(applications.status, 'APPROVED'), inArray(applications.bankOrgId, banks)];
  if (filter.programmeId) conditions.push(eq(applications.programmeId, filter.programmeId));
  if (filter.outletId) conditions.push(eq(applications.outletOrgId, filter.outletId));
  if (filter.applicationNo) conditions.push(eq(applications.applicationNo, filter.applicationNo.trim().toUpperCase()));
  const where = and(...conditions);
  const [total] = await ctx.db.orm.select({ n: count() }).from(applications).where(where);
  const rows = await ctx.db.orm
    .select({
      id: applications.id,
      applicationNo: applications.applicationNo,
      programmeId: applications.programmeId,
      outletOrgId: applications.outletOrgId,
      bankOrgId: applications.bankOrgId,
      kind: applications.kind,
      nameMasked: applications.nameMasked,
      citizenIdMasked: applications.citizenIdMasked,
      decidedAt: applications.decidedAt,
    })
    .from(applications)
    .where(where)
    .orderBy(asc(applications.decidedAt), asc(applications.applicationNo))
    .limit(filter.limit ?? 50)
    .offset(filter.offset ?? 0);
  const names = await programmeNames(
    ctx,
    rows.map((r) => r.programmeId),
  );
  const outlets = await orgsByIds(
    ctx,
    rows.map((r) => r.outletOrgId),
  );
  return {
    items: rows.map((r) => ({
      id: r.id,
      applicationNo: r.applicationNo,
      programmeId: r.programmeId,
      programmeName: names.get(r.programmeId) ?? '',
      outletOrgId: r.outletOrgId,
      outletName: outlets.get(r.outletOrgId)?.name ?? '',
      bankOrgId: r.bankOrgId!,
      kind: r.kind,
      nameMasked: r.nameMasked,
      citizenIdMasked: r.citizenIdMasked,
      waitingSince: (r.decidedAt ?? new Date(0)).toISOString(),
    })),
    total: total?.n ?? 0,
  };
}

interface BankTarget {
  id: string;
  applicationNo: string;
  status: ApplicationStatus;
  bankAccountEnc: string | null;
}

/** The principal's bank's social security card applications, by id or by number, locked for the decision. */
async function lockTargets(ctx: AppContext, tx: Tx, principal: Principal, by: { ids: string[] } | { numbers: string[] }): Promise<BankTarget[]> {
  const banks = await bankOrgIds(ctx, tx, principal);
  const keys = 'ids' in by ? by.ids : by.numbers;
  if (banks.length === 0 || keys.length === 0) return [];
  const out: BankTarget[] = [];
  for (let i = 0; i < keys.length; i += 5000) {
    const chunk = keys.slice(i, i + 5000);
    out.push(
      ...(await tx
        .select({ id: applications.id, applicationNo: applications.applicationNo, status: applications.status, bankAccountEnc: applications.bankAccountEnc })
        .from(applications)
        .where(
          and(
            'ids' in by ? anyOf(applications.id, chunk) : anyOf(applications.applicationNo, chunk),
            eq(applications.cardKind, 'SOCIAL_SECURITY_CARD'),
            inArray(applications.bankOrgId, banks),
          ),
        )
        .orderBy(applications.id)
        .for('update')),
    );
  }
  return out;
}

/**
 * What a decision means for an application as it stands: apply it to an APPROVED one; a repeat of
 * the decision already recorded (the same account, or a rejection again) changes nothing; anything
 * else is refused with the state the application is in.
 */
function judge(ctx: AppContext, target: BankTarget, decision: BankDecision): 'apply' | 'unchanged' | 'invalid' {
  if (target.status === 'APPROVED') return 'apply';
  if (decision.decision === 'REJECTED') return target.status === 'BANK_REJECTED' ? 'unchanged' : 'invalid';
  const matchedBefore = target.status !== 'BANK_REJECTED' && target.status !== 'SUBMITTED' && target.status !== 'REJECTED' && target.bankAccountEnc !== null;
  return matchedBefore && decryptField(ctx.keyring, target.bankAccountEnc!) === decision.bankAccount ? 'unchanged' : 'invalid';
}

/**
 * Records the bank's decisions inside the caller's transaction: a match stores the account (sealed,
 * plus a copy showing the last 4 digits) and the match time, which starts the producer's clock, and
 * moves the application to MATCHED; a rejection moves it to BANK_REJECTED with a notice for the
 * holder carrying the bank's reason. The targets must be locked and judged 'apply' by the caller.
 */
export async function applyBankDecisions(ctx: AppContext, tx: Tx, actor: MoveActor, items: { applicationId: string; decision: BankDecision }[], at = new Date()): Promise<number> {
  const stamp = at.toISOString();
  const moves: ApplicationMove[] = items.map(({ applicationId, decision }) =>
    decision.decision === 'MATCHED'
      ? { applicationId, action: 'BANK_MATCH', idempotencyKey: `${applicationId}:BANK_MATCH:${stamp}`, details: { bankAccountMasked: maskAccountLast4(decision.bankAccount) } }
      : {
          applicationId,
          action: 'BANK_REJECT',
          idempotencyKey: `${applicationId}:BANK_REJECT:${stamp}`,
          details: { reason: decision.reason },
          notify: { kind: 'BANK_REJECTED', payload: { reason: decision.reason } },
        },
  );
  const moved = await moveApplications(ctx, tx, actor, moves, at);
  const matched = items.flatMap(({ applicationId, decision }) =>
    decision.decision === 'MATCHED' ? [{ id: applicationId, enc: encryptField(ctx.keyring, decision.bankAccount), masked: maskAccountLast4(decision.bankAccount) }] : [],
  );
  for (let i = 0; i < matched.length; i += 2000) {
    await ctx.db.rows(
      tx,
      sql`update applications a set bank_account_enc = v.enc, bank_account_masked = v.masked, bank_matched_at = ${stamp}::timestamptz
          from (select (e->>'id')::uuid as id, e->>'enc' as enc, e->>'masked' as masked from jsonb_array_elements(${JSON.stringify(matched.slice(i, i + 2000))}::jsonb) e) v
          where a.id = v.id`,
    );
  }
  return moved;
}

function actorOf(principal: Principal): MoveActor {
  return { type: principal.type, id: principal.id, name: principal.name };
}

export interface BankMatchView {
  id: string;
  applicationNo: string;
  status: string;
  bankAccountMasked: string | null;
  bankMatchedAt: string | null;
  changed: boolean;
}

/** One decision from a bank clerk in the console or a bank system, for one application. */
export async function bankMatchOne(ctx: AppContext, principal: Principal, id: string, input: Record<string, unknown>): Promise<BankMatchView> {
  const { value, problems } = checkBankDecision(input);
  if (!value) {
    const code = problems[0]!.code as 'BANK_ACCOUNT_INVALID' | 'BANK_REJECT_REASON_REQUIRED' | 'BANK_DECISION_INVALID';
    throw new AppError(code, { details: { problems } });
  }
  return ctx.db.orm.transaction(async (tx) => {
    const [target] = await lockTargets(ctx, tx, principal, { ids: [id] });
    if (!target) throw new AppError('OUT_OF_SCOPE');
    const verdict = judge(ctx, target, value);
    if (verdict === 'invalid') {
      throw new AppError('APPLICATION_STATE_INVALID', { params: { from: target.status, action: value.decision === 'MATCHED' ? 'BANK_MATCH' : 'BANK_REJECT' }, details: { applicationId: id } });
    }
    if (verdict === 'apply') await applyBankDecisions(ctx, tx, actorOf(principal), [{ applicationId: id, decision: value }]);
    const [row] = await tx
      .select({ status: applications.status, bankAccountMasked: applications.bankAccountMasked, bankMatchedAt: applications.bankMatchedAt })
      .from(applications)
      .where(eq(applications.id, id));
    return {
      id,
      applicationNo: target.applicationNo,
      status: row!.status,
      bankAccountMasked: row!.bankAccountMasked,
      bankMatchedAt: row!.bankMatchedAt?.toISOString() ?? null,
      changed: verdict === 'apply',
    };
  });
}

export interface RowProblem extends FieldProblem {
  row: number;
}

/**
 * Many decisions at once (a bank system's daily file), all or nothing: every row is checked (the
 * number belongs to this bank, the decision and account are valid, the application is waiting, no
 * application twice) and every bad row is reported before anything is written.
 */
export async function bankMatchBulk(ctx: AppContext, principal: Principal, rows: { row: number; record: Record<string, unknown> }[], preProblems: RowProblem[] = []) {
  const problems: RowProblem[] = [...preProblems];
  const good: { row: number; applicationNo: string; decision: BankDecision }[] = [];
  const seen = new Set<string>();
  for (const { row, record } of rows) {
    const applicationNo = (typeof record.applicationNo === 'string' ? record.applicationNo : '').trim().toUpperCase();
    const checked = checkBankDecision(record);
    if (applicationNo === '') problems.push({ row, field: 'applicationNo', code: 'BANK_MATCH_APPLICATION_UNKNOWN' });
    else if (seen.has(applicationNo)) problems.push({ row, field: 'applicationNo', code: 'BANK_MATCH_DUPLICATE_ROW' });
    seen.add(applicationNo);
    problems.push(...checked.problems.map((p) => ({ row, ...p })));
    if (checked.value && applicationNo !== '' && !problems.some((p) => p.row === row)) good.push({ row, applicationNo, decision: checked.value });
  }
  if (rows.length === 0 && problems.length === 0) throw new AppError('BANK_MATCH_EMPTY');
  return ctx.db.orm.transaction(async (tx) => {
    const targets = await lockTargets(ctx, tx, principal, { numbers: good.map((g) => g.applicationNo) });
    const byNo = new Map(targets.map((t) => [t.applicationNo, t]));
    const apply: { applicationId: string; decision: BankDecision }[] = [];
    let unchanged = 0;
    for (const g of good) {
      const target = byNo.get(g.applicationNo);
      if (!target) {
        problems.push({ row: g.row, field: 'applicationNo', code: 'BANK_MATCH_APPLICATION_UNKNOWN' });
        continue;
      }
      const verdict = judge(ctx, target, g.decision);
      if (verdict === 'invalid') problems.push({ row: g.row, field: 'applicationNo', code: 'APPLICATION_STATE_INVALID' });
      else if (verdict === 'unchanged') unchanged++;
      else apply.push({ applicationId: target.id, decision: g.decision });
    }
    if (problems.length) {
      problems.sort((a, b) => a.row - b.row);
      throw new AppError('BANK_MATCH_IMPORT_INVALID', { params: { count: problems.length }, details: { rows: problems } });
    }
    const applied = apply.length ? await applyBankDecisions(ctx, tx, actorOf(principal), apply) : 0;
    return {
      applied,
      unchanged,
      matched: apply.filter((a) => a.decision.decision === 'MATCHED').length,
      rejected: apply.filter((a) => a.decision.decision === 'REJECTED').length,
    };
  });
}

/** Unmasker for the matched account: only the application's own bank (or an authority above it) may reveal it. */
export async function revealBankAccount(ctx: AppContext, principal: Principal, id: string): Promise<string | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const banks = await bankOrgIds(ctx, ctx.db.orm, principal);
  if (banks.length === 0) return null;
  const [row] = await ctx.db.orm
    .select({ enc: applications.bankAccountEnc })
    .from(applications)
    .where(and(eq(applications.id, id), inArray(applications.bankOrgId, banks)));
  return row?.enc ? decryptField(ctx.keyring, row.enc) : null;
}
