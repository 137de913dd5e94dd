import { and, asc, count, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { anyOf } from '../../platform/db/any-of.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable, Tx } from '../../platform/db/engine.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { insertJson } from '../../platform/db/bulk.ts';
import type { ErrorCode } from '../../platform/errors/messages.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { orgInScope } from '../../platform/auth/principal.ts';
import { decryptBytes, decryptField, encryptBytes, encryptField } from '../../platform/crypto/field-cipher.ts';
import { blindIndex } from '../../platform/crypto/blind-index.ts';
import { maskAddress, maskIdNumber, maskName, maskPhone } from '../../platform/crypto/masking.ts';
import { sm3 } from '../../platform/crypto/sm.ts';
import { shanghaiDate } from '../calendar/zone.ts';
import { findOrg, orgIdsInScope, orgsByIds } from '../orgs/service.ts';
import { getProgrammeRow, programmeNames, programmeReceiverIds, receiverOf, type ProgrammeRow } from '../programmes/service.ts';
import { csvRecords, ndjsonLines, type CsvRecord } from './csv.ts';
import {
  applicationEvents,
  applicationPhotos,
  applications,
  importReports,
  notificationOutbox,
  rejectionReasons,
  type ApplicationKind,
  type ApplicationStatus,
} from './schema.ts';
import { applicationNumber, checkApplicant, checkPhoto, photoRequired, type ApplicantInput, type FieldProblem, type NormalisedApplicant } from './rules.ts';
import { initialStatus, nextStatus, OPEN_STATUSES, type ApplicationAction } from './states.ts';
import { moveApplications } from './progress.ts';
import { cardsOfApplication } from '../cards/service.ts';

export type ApplicationRow = typeof applications.$inferSelect;

export function applicationView(a: ApplicationRow, names: { outletName: string; programmeName: string }) {
  return {
    id: a.id,
    applicationNo: a.applicationNo,
    programmeId: a.programmeId,
    programmeName: names.programmeName,
    cardKind: a.cardKind,
    outletOrgId: a.outletOrgId,
    outletName: names.outletName,
    bankOrgId: a.bankOrgId,
    kind: a.kind,
    basis: a.basis,
    status: a.status,
    nameMasked: a.nameMasked,
    citizenIdMasked: a.citizenIdMasked,
    phoneMasked: a.phoneMasked,
    sex: a.sex,
    ethnicity: a.ethnicity,
    hasPhoto: a.hasPhoto,
    source: a.source,
    createdAt: a.createdAt.toISOString(),
    decidedAt: a.decidedAt?.toISOString() ?? null,
  };
}
export type ApplicationView = ReturnType<typeof applicationView>;

// ---- scope ----

/** Applications are scoped by their outlet: an authority sees its subtree's outlets, an outlet itself. */
function scopeCondition(ctx: AppContext, principal: Principal, q: Queryable = ctx.db.orm): SQL {
  return principal.scope === 'subtree' ? inArray(applications.outletOrgId, orgIdsInScope(ctx, principal, q)) : eq(applications.outletOrgId, principal.orgId);
}

/** Adds the outlet name (orgs module) and the programme name (programmes module) to application rows. */
async function withNames(ctx: AppContext, rows: ApplicationRow[], q: Queryable = ctx.db.orm) {
  const programmes = await programmeNames(ctx, rows.map((r) => r.programmeId), q);
  const outlets = await orgsByIds(ctx, rows.map((r) => r.outletOrgId), q);
  return rows.map((application) => ({ application, outletName: outlets.get(application.outletOrgId)?.name ?? '', programmeName: programmes.get(application.programmeId) ?? '' }));
}

export async function getApplicationRow(ctx: AppContext, principal: Principal, id: string, q: Queryable = ctx.db.orm) {
  const rows = await q.select().from(applications).where(and(eq(applications.id, id), scopeCondition(ctx, principal, q)));
  if (rows.length === 0) throw new AppError('OUT_OF_SCOPE');
  return (await withNames(ctx, rows, q))[0]!;
}

// ---- intake ----

export interface Actor {
  type: string;
  id: string | null;
  name: string | null;
}

export function actorOf(principal: Principal): Actor {
  return { type: principal.type, id: principal.id, name: principal.name };
}

function personalColumns(ctx: AppContext, v: NormalisedApplicant) {
  return {
    nameEnc: encryptField(ctx.keyring, v.name),
    nameMasked: maskName(v.name),
    citizenIdEnc: encryptField(ctx.keyring, v.citizenId),
    citizenIdIdx: blindIndex(ctx.keyring, 'citizen_id', v.citizenId),
    citizenIdMasked: maskIdNumber(v.citizenId),
    phoneEnc: encryptField(ctx.keyring, v.phone),
    phoneIdx: blindIndex(ctx.keyring, 'phone', v.phone),
    phoneMasked: maskPhone(v.phone),
    hukouAddressEnc: v.hukouAddress === null ? null : encryptField(ctx.keyring, v.hukouAddress),
    residenceAddressEnc: v.residenceAddress === null ? null : encryptField(ctx.keyring, v.residenceAddress),
  };
}

async function nextNumbers(ctx: AppContext, tx: Queryable, n: number): Promise<number[]> {
  const rows = await ctx.db.rows<{ n: number }>(tx, sql`select nextval('application_no_seq')::int as n from generate_series(1, ${n}::int)`);
  return rows.map((r) => Number(r.n));
}

/** The open application of these people in the programme, by citizen-ID blind index. */
async function openApplications(tx: Queryable, programmeId: string, citizenIdIdxs: string[]) {
  if (citizenIdIdxs.length === 0) return [];
  return tx
    .select({ idx: applications.citizenIdIdx, applicationNo: applications.applicationNo })
    .from(applications)
    .where(and(eq(applications.programmeId, programmeId), anyOf(applications.citizenIdIdx, citizenIdIdxs), inArray(applications.status, [...OPEN_STATUSES])));
}

interface NewApplication {
  applicant: NormalisedApplicant;
  photo: { bytes: Buffer; width: number; height: number } | null;
}

/** Inserts checked applications with their SUBMITTED/ENDORSED events, 500 rows per statement. */
async function insertApplications(
  ctx: AppContext,
  tx: Tx,
  programme: ProgrammeRow,
  outletOrgId: string,
  source: 'COUNTER' | 'IMPORT',
  actor: Actor,
  items: NewApplication[],
): Promise<ApplicationRow[]> {
  const out: ApplicationRow[] = [];
  const today = shanghaiDate(new Date());
  for (let start = 0; start < items.length; start += 500) {
    const chunk = items.slice(start, start + 500);
    const numbers = await nextNumbers(ctx, tx, chunk.length);
    const now = new Date();
    const rows = await insertJson(
      ctx.db,
      tx,
      applications,
        chunk.map(({ applicant: v, photo }, i) => {
          const status = initialStatus(v.kind);
          return {
            applicationNo: applicationNumber(programme.kind, today, numbers[i]!),
            programmeId: programme.id,
            cardKind: programme.kind,
            outletOrgId,
            bankOrgId: v.bankOrgId,
            kind: v.kind,
            basis: v.basis,
            status,
            ...personalColumns(ctx, v),
            sex: v.sex,
            ethnicity: v.ethnicity,
            birthDate: v.birthDate,
            hasPhoto: photo !== null,
            source,
            createdBy: actor.id ?? actor.type,
            decidedAt: status === 'SUBMITTED' ? null : now,
          };
        }),
      { returning: true },
    );
    // Rows come back keyed by their number: RETURNING does not promise the input order.
    const byNo = new Map(rows.map((r) => [r.applicationNo, r]));
    const ordered = chunk.map((_, i) => byNo.get(applicationNumber(programme.kind, today, numbers[i]!))!);
    const photos = ordered.flatMap((r, i) => {
      const p = chunk[i]!.photo;
      return p ? [{ applicationId: r.id, photoEnc: encryptBytes(ctx.keyring, p.bytes), sm3: sm3(p.bytes).toString('hex'), width: p.width, height: p.height, bytes: p.bytes.length }] : [];
    });
    if (photos.length) await tx.insert(applicationPhotos).values(photos);
    await insertJson(
      ctx.db,
      tx,
      applicationEvents,
      ordered.map((r) => ({
        applicationId: r.id,
        type: r.status,
        actorType: actor.type,
        actorId: actor.id,
        actorName: actor.name,
        details: { source, applicationNo: r.applicationNo },
        idempotencyKey: `${r.id}:${r.status}`,
      })),
    );
    out.push(...ordered);
  }
  return out;
}

function isOpenDuplicate(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  const c = e.cause ?? e;
  return c.code === '23505' && (c.constraint === 'applications_open_person_key' || String((c as { message?: string }).message ?? '').includes('applications_open_person_key'));
}

async function programmeForOutlet(ctx: AppContext, principal: Principal, programmeId: string, outletOrgId: string): Promise<ProgrammeRow> {
  const programme = await getProgrammeRow(ctx, principal, programmeId);
  if ((await receiverOf(ctx, programme.id, outletOrgId)) !== 'OUTLET') {
    throw new AppError('APPLICATION_INVALID', { params: { reason: 'the outlet does not take applications for this programme' } });
  }
  return programme;
}

async function assertBanks(ctx: AppContext, programmeId: string, bankIds: string[]): Promise<Set<string>> {
  const ok = new Set<string>();
  for (const id of new Set(bankIds)) if ((await receiverOf(ctx, programmeId, id)) === 'BANK') ok.add(id);
  return ok;
}

function problemError(p: FieldProblem): AppError {
  if (p.code === 'APPLICATION_INVALID') return new AppError('APPLICATION_INVALID', { params: { reason: `${p.field}: ${p.message ?? ''}` }, details: { field: p.field } });
  return new AppError(p.code as ErrorCode, { details: { field: p.field } });
}

export interface CreateApplicationInput extends ApplicantInput {
  programmeId: string;
  photoJpegBase64?: string | null;
}

export async function createApplication(ctx: AppContext, principal: Principal, input: CreateApplicationInput) {
  if (principal.orgKind !== 'OUTLET') throw new AppError('FORBIDDEN', { details: { reason: 'applications are taken at an outlet' } });
  const outletOrgId = principal.orgId;
  const programme = await programmeForOutlet(ctx, principal, input.programmeId, outletOrgId);
  const { value, problems } = checkApplicant(programme.kind, input);
  if (problems.length || !value) throw problemError(problems[0]!);
  if (value.bankOrgId && !(await assertBanks(ctx, programme.id, [value.bankOrgId])).has(value.bankOrgId)) {
    throw new AppError('APPLICATION_INVALID', { params: { reason: 'bankOrgId: the bank does not take part in this programme' }, details: { field: 'bankOrgId' } });
  }
  let photo: NewApplication['photo'] = null;
  if (input.photoJpegBase64) {
    const bytes = Buffer.from(input.photoJpegBase64, 'base64');
    const info = checkPhoto(bytes);
    photo = { bytes, width: info.width, height: info.height };
  } else if (photoRequired(programme.kind, value.kind, value.birthDate, shanghaiDate(new Date()))) {
    throw new AppError('PHOTO_REQUIRED');
  }
  const idx = blindIndex(ctx.keyring, 'citizen_id', value.citizenId);
  try {
    return await ctx.db.orm.transaction(async (tx) => {
      if (value.kind !== 'ENDORSEMENT') {
        const [open] = await openApplications(tx, programme.id, [idx]);
        if (open) throw new AppError('APPLICATION_DUPLICATE', { params: { applicationNo: open.applicationNo } });
      }
      const [row] = await insertApplications(ctx, tx, programme, outletOrgId, 'COUNTER', actorOf(principal), [{ applicant: value, photo }]);
      return row!;
    });
  } catch (err) {
    if (isOpenDuplicate(err)) throw new AppError('APPLICATION_DUPLICATE', { params: { applicationNo: '' } });
    throw err;
  }
}

// ---- reading ----

export interface ApplicationFilter {
  programmeId?: string;
  status?: ApplicationStatus;
  outletId?: string;
  kind?: ApplicationKind;
  olderThanDays?: number;
  limit?: number;
  offset?: number;
}

export async function listApplications(ctx: AppContext, principal: Principal, filter: ApplicationFilter, order: 'newest' | 'oldest' = 'newest') {
  const conditions: SQL[] = [scopeCondition(ctx, principal)];
  if (filter.programmeId) conditions.push(eq(applications.programmeId, filter.programmeId));
  if (filter.status) conditions.push(eq(applications.status, filter.status));
  if (filter.outletId) conditions.push(eq(applications.outletOrgId, filter.outletId));
  if (filter.kind) conditions.push(eq(applications.kind, filter.kind));
  if (filter.olderThanDays !== undefined) conditions.push(lt(applications.createdAt, new Date(Date.now() - filter.olderThanDays * 86_400_000)));
  const where = and(...conditions);
  const [total] = await ctx.db.orm.select({ n: count() }).from(applications).where(where);
  const rows = await ctx.db.orm
    .select()
    .from(applications)
    .where(where)
    .orderBy(order === 'oldest' ? asc(applications.createdAt) : desc(applications.createdAt), asc(applications.applicationNo))
    .limit(filter.limit ?? 50)
    .offset(filter.offset ?? 0);
  return { items: (await withNames(ctx, rows)).map((r) => applicationView(r.application, r)), total: total?.n ?? 0 };
}

export async function getApplicationDetail(ctx: AppContext, principal: Principal, id: string) {
  const row = await getApplicationRow(ctx, principal, id);
  const events = await ctx.db.orm.select().from(applicationEvents).where(eq(applicationEvents.applicationId, id)).orderBy(asc(applicationEvents.at), asc(applicationEvents.id));
  const a = row.application;
  return {
    ...applicationView(a, row),
    hukouAddressMasked: a.hukouAddressEnc ? maskAddress(decryptField(ctx.keyring, a.hukouAddressEnc)) : null,
    residenceAddressMasked: a.residenceAddressEnc ? maskAddress(decryptField(ctx.keyring, a.residenceAddressEnc)) : null,
    events: events.map((e) => ({ type: e.type, at: e.at.toISOString(), actorName: e.actorName, details: e.details })),
    cards: await cardsOfApplication(ctx, id),
  };
}

export async function getPhoto(ctx: AppContext, principal: Principal, id: string): Promise<{ jpeg: Buffer; sm3: string }> {
  await getApplicationRow(ctx, principal, id);
  const [photo] = await ctx.db.orm.select().from(applicationPhotos).where(eq(applicationPhotos.applicationId, id));
  if (!photo) throw new AppError('NOT_FOUND');
  const jpeg = decryptBytes(ctx.keyring, photo.photoEnc);
  if (sm3(jpeg).toString('hex') !== photo.sm3) throw new AppError('CIPHERTEXT_TAMPERED');
  return { jpeg, sm3: photo.sm3 };
}

/** Unmaskers: one field of one application in the principal's scope. */
export function revealApplicationField(field: 'nameEnc' | 'citizenIdEnc' | 'phoneEnc') {
  return async (ctx: AppContext, principal: Principal, id: string): Promise<string | null> => {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const row = await getApplicationRow(ctx, principal, id);
    return decryptField(ctx.keyring, row.application[field]);
  };
}

// ---- review ----

export async function listReasons(ctx: AppContext, opts: { includeInactive?: boolean } = {}) {
  const rows = await ctx.db.orm
    .select()
    .from(rejectionReasons)
    .where(opts.includeInactive ? undefined : eq(rejectionReasons.active, true))
    .orderBy(asc(rejectionReasons.code));
  return rows.map(reasonView);
}

function reasonView(r: typeof rejectionReasons.$inferSelect) {
  return { code: r.code, zh: r.zh, en: r.en, active: r.active };
}

export async function createReason(ctx: AppContext, input: { code: string; zh: string; en: string }) {
  const [row] = await ctx.db.orm.insert(rejectionReasons).values({ code: input.code, zh: input.zh.trim(), en: input.en.trim() }).onConflictDoNothing().returning();
  if (!row) throw new AppError('CONFLICT', { params: { reason: `reason ${input.code} exists` } });
  return reasonView(row);
}

export async function updateReason(ctx: AppContext, code: string, patch: { zh?: string; en?: string; active?: boolean }) {
  const [row] = await ctx.db.orm
    .update(rejectionReasons)
    .set({ ...(patch.zh !== undefined ? { zh: patch.zh.trim() } : {}), ...(patch.en !== undefined ? { en: patch.en.trim() } : {}), ...(patch.active !== undefined ? { active: patch.active } : {}), updatedAt: new Date() })
    .where(eq(rejectionReasons.code, code))
    .returning();
  if (!row) throw new AppError('NOT_FOUND');
  return reasonView(row);
}

async function decide(ctx: AppContext, principal: Principal, id: string, action: ApplicationAction, extra: (tx: Tx, row: ApplicationRow) => Promise<Record<string, unknown>>) {
  return ctx.db.orm.transaction(async (tx) => {
    const found = await getApplicationRow(ctx, principal, id, tx);
    const [locked] = await tx.select().from(applications).where(eq(applications.id, id)).for('update');
    const from = locked!.status;
    const to = nextStatus(from, action);
    if (!to) throw new AppError('APPLICATION_STATE_INVALID', { params: { from, action } });
    const details = await extra(tx, locked!);
    const now = new Date();
    const [updated] = await tx.update(applications).set({ status: to, decidedAt: now, updatedAt: now }).where(eq(applications.id, id)).returning();
    await tx.insert(applicationEvents).values({
      applicationId: id,
      type: to,
      actorType: principal.type,
      actorId: principal.id,
      actorName: principal.name,
      at: now,
      details,
      idempotencyKey: `${id}:${to}:${now.toISOString()}`,
    });
    return applicationView(updated!, found);
  });
}

export async function approveApplication(ctx: AppContext, principal: Principal, id: string) {
  return decide(ctx, principal, id, 'APPROVE', async () => ({}));
}

/**
 * Approves many SUBMITTED applications at once (a reviewer's "approve selected", or an authority system),
 * all or nothing: every id must be in the reviewer's scope and SUBMITTED.
 */
export async function approveApplications(ctx: AppContext, principal: Principal, ids: string[]): Promise<{ approved: number }> {
  const unique = [...new Set(ids)];
  return ctx.db.orm.transaction(async (tx) => {
    const visible = new Set<string>();
    for (let i = 0; i < unique.length; i += 5000) {
      const rows = await tx
        .select({ id: applications.id })
        .from(applications)
        .where(and(anyOf(applications.id, unique.slice(i, i + 5000)), scopeCondition(ctx, principal, tx)));
      for (const r of rows) visible.add(r.id);
    }
    const missing = unique.filter((id) => !visible.has(id));
    if (missing.length) throw new AppError('OUT_OF_SCOPE', { details: { ids: missing.slice(0, 20) } });
    const at = new Date();
    const approved = await moveApplications(
      ctx,
      tx,
      actorOf(principal),
      unique.map((id) => ({ applicationId: id, action: 'APPROVE' as const, idempotencyKey: `${id}:APPROVED:${at.toISOString()}` })),
      at,
    );
    return { approved };
  });
}

export async function rejectApplication(ctx: AppContext, principal: Principal, id: string, input: { reasonCodes: string[]; note?: string | null }) {
  const codes = [...new Set(input.reasonCodes)];
  return decide(ctx, principal, id, 'REJECT', async (tx, row) => {
    const reasons = await tx.select().from(rejectionReasons).where(and(inArray(rejectionReasons.code, codes), eq(rejectionReasons.active, true)));
    const known = new Set(reasons.map((r) => r.code));
    const unknown = codes.filter((c) => !known.has(c));
    if (unknown.length || codes.length === 0) throw new AppError('REJECTION_REASON_UNKNOWN', { params: { codes: unknown.join(', ') || '—' }, details: { codes: unknown } });
    const ordered = codes.map((c) => reasons.find((r) => r.code === c)!).map((r) => ({ code: r.code, zh: r.zh, en: r.en }));
    const note = input.note?.trim() || null;
    await tx.insert(notificationOutbox).values({
      kind: 'APPLICATION_REJECTED',
      applicationId: row.id,
      recipientPhoneEnc: row.phoneEnc,
      payload: { applicationNo: row.applicationNo, reasons: ordered, note },
      idempotencyKey: `APPLICATION_REJECTED:${row.id}`,
    });
    return { reasons: ordered.map((r) => r.code), note };
  });
}

// ---- bulk import ----

export const IMPORT_COLUMNS = ['kind', 'name', 'citizenId', 'phone', 'sex', 'ethnicity', 'birthDate', 'hukouAddress', 'residenceAddress', 'basis', 'bankOrgId'] as const;
const REQUIRED_COLUMNS = ['kind', 'name', 'citizenId', 'phone', 'sex', 'ethnicity', 'birthDate'];

export interface ImportRowError {
  row: number;
  field: string;
  error: string;
}

type ImportItem = { row: number; record: Record<string, unknown> } | { row: number; error: ImportRowError[] };

/** CSV records as named rows; a bad header yields its errors and stops. */
async function* rowsFromCsv(records: AsyncIterable<CsvRecord>): AsyncGenerator<ImportItem> {
  let names: string[] | null = null;
  for await (const r of records) {
    if (names === null) {
      names = r.fields.map((f) => f.trim());
      const missing = REQUIRED_COLUMNS.filter((c) => !names!.includes(c));
      const unknown = names.filter((n) => !(IMPORT_COLUMNS as readonly string[]).includes(n));
      if (missing.length || unknown.length) {
        yield { row: 1, error: [...missing.map((c) => ({ row: 1, field: c, error: 'COLUMN_MISSING' })), ...unknown.map((c) => ({ row: 1, field: c, error: 'COLUMN_UNKNOWN' }))] };
        return;
      }
      continue;
    }
    yield { row: r.line, record: Object.fromEntries(names.map((n, i) => [n, r.fields[i] ?? ''])) };
  }
}

async function* rowsFromNdjson(lines: AsyncIterable<{ line: number; text: string }>): AsyncGenerator<ImportItem> {
  for await (const { line, text } of lines) {
    try {
      const v = JSON.parse(text) as unknown;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) yield { row: line, error: [{ row: line, field: 'line', error: 'MALFORMED_JSON' }] };
      else yield { row: line, record: v as Record<string, unknown> };
    } catch {
      yield { row: line, error: [{ row: line, field: 'line', error: 'MALFORMED_JSON' }] };
    }
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);
}

/** Checks one row; returns the normalised applicant or the row's errors. */
function checkImportRow(kindOf: ProgrammeRow['kind'], row: number, record: Record<string, unknown>): { value: NormalisedApplicant | null; errors: ImportRowError[] } {
  const errors: ImportRowError[] = [];
  const kind = str(record.kind).trim() as ApplicationKind;
  if (!['NEW', 'REPLACEMENT', 'RENEWAL', 'ENDORSEMENT', 'PREFABRICATED'].includes(kind)) errors.push({ row, field: 'kind', error: 'APPLICATION_INVALID' });
  const { value, problems } = checkApplicant(kindOf, {
    kind,
    name: str(record.name),
    citizenId: str(record.citizenId),
    phone: str(record.phone),
    sex: str(record.sex).trim() as 'M' | 'F',
    ethnicity: str(record.ethnicity).trim(),
    birthDate: str(record.birthDate).trim(),
    hukouAddress: str(record.hukouAddress),
    residenceAddress: str(record.residenceAddress),
    basis: (str(record.basis).trim() || null) as ApplicantInput['basis'],
    bankOrgId: str(record.bankOrgId).trim() || null,
  });
  for (const p of problems) if (!(p.field === 'kind' && errors.some((e) => e.field === 'kind'))) errors.push({ row, field: p.field, error: p.code });
  return { value: errors.length ? null : value, errors };
}

class ImportRefused extends Error {}

/**
 * Imports applications for one outlet from a stream, all or nothing, in flat memory: rows are read
 * and checked one by one (fields, the ID against sex and birth date, duplicates in the file and open
 * applications in the programme) and written in chunks of 500 inside one transaction. The first bad
 * row stops the writing but not the checking, so the error report lists every bad row; then the
 * transaction rolls back, nothing is kept but the report, and APPLICATION_IMPORT_INVALID names it.
 */
/** An import this large changes the table's statistics enough to matter to the review queue's plans. */
const ANALYZE_AFTER_IMPORTED = 1_000;

export async function importApplications(
  ctx: AppContext,
  principal: Principal,
  input: { programmeId: string; outletOrgId: string; format: 'csv' | 'ndjson'; source: AsyncIterable<Buffer | string> },
): Promise<{ imported: number }> {
  const outlet = await findOrg(ctx, input.outletOrgId);
  if (!outlet || !orgInScope(principal, outlet.path)) throw new AppError('OUT_OF_SCOPE');
  const programme = await programmeForOutlet(ctx, principal, input.programmeId, outlet.id);
  const banks = new Map<string, boolean>();
  for (const r of await programmeReceiverIds(ctx, programme.id, 'BANK')) banks.set(r, true);
  const items = input.format === 'csv' ? rowsFromCsv(csvRecords(input.source)) : rowsFromNdjson(ndjsonLines(input.source));
  const errors: ImportRowError[] = [];
  const seen = new Set<string>();
  const actor = actorOf(principal);
  let imported = 0;
  let rows = 0;
  try {
    await ctx.db.orm.transaction(async (tx) => {
      let pending: { row: number; value: NormalisedApplicant; idx: string }[] = [];
      const flush = async () => {
        const batch = pending;
        pending = [];
        const candidates = batch.filter((g) => g.value.kind !== 'ENDORSEMENT');
        const open = new Set((await openApplications(tx, programme.id, candidates.map((c) => c.idx))).map((o) => o.idx));
        for (const c of candidates) if (open.has(c.idx)) errors.push({ row: c.row, field: 'citizenId', error: 'APPLICATION_DUPLICATE' });
        if (errors.length === 0 && batch.length) {
          await insertApplications(ctx, tx, programme, outlet.id, 'IMPORT', actor, batch.map((g) => ({ applicant: g.value, photo: null })));
          imported += batch.length;
        }
      };
      for await (const item of items) {
        rows++;
        if ('error' in item) {
          errors.push(...item.error);
          continue;
        }
        const { value, errors: rowErrors } = checkImportRow(programme.kind, item.row, item.record);
        if (!value) {
          errors.push(...rowErrors);
          continue;
        }
        if (value.bankOrgId && !banks.has(value.bankOrgId)) {
          errors.push({ row: item.row, field: 'bankOrgId', error: 'APPLICATION_INVALID' });
          continue;
        }
        const idx = blindIndex(ctx.keyring, 'citizen_id', value.citizenId);
        if (value.kind !== 'ENDORSEMENT') {
          if (seen.has(idx)) {
            errors.push({ row: item.row, field: 'citizenId', error: 'APPLICATION_DUPLICATE' });
            continue;
          }
          seen.add(idx);
        }
        pending.push({ row: item.row, value, idx });
        if (pending.length >= 500) await flush();
      }
      await flush();
      if (rows === 0 && errors.length === 0) errors.push({ row: 1, field: 'file', error: 'APPLICATION_IMPORT_EMPTY' });
      if (errors.length) throw new ImportRefused();
    });
  } catch (err) {
    if (isOpenDuplicate(err)) throw new AppError('APPLICATION_DUPLICATE', { params: { applicationNo: '' } });
    if (!(err instanceof ImportRefused)) throw err;
    errors.sort((a, b) => a.row - b.row || a.field.localeCompare(b.field));
    const csv = ['row,field,error', ...errors.map((e) => `${e.row},${e.field.replace(/[^A-Za-z0-9_]/g, '_')},${e.error}`)].join('\r\n') + '\r\n';
    const [report] = await ctx.db.orm
      .insert(importReports)
      .values({ programmeId: programme.id, outletOrgId: outlet.id, createdBy: principal.id, errorCount: errors.length, csv })
      .returning({ id: importReports.id });
    throw new AppError('APPLICATION_IMPORT_INVALID', { params: { count: errors.length }, details: { reportId: report!.id, rows: errors.slice(0, 1000), truncated: errors.length > 1000 } });
  }
  // Reviewers open the queue right after a large import. Until autovacuum next analyses the table
  // (up to a minute, or never on PGlite), the planner takes the new rows for a handful and joins every
  // one of them for each queue page: 60 ms a page at 20,000 imported, 17 ms once analysed.
  if (imported >= ANALYZE_AFTER_IMPORTED) await ctx.db.orm.execute(sql`analyze applications`);
  return { imported };
}

export async function getImportReport(ctx: AppContext, principal: Principal, id: string): Promise<string> {
  const [row] = await ctx.db.orm.select({ csv: importReports.csv, outletOrgId: importReports.outletOrgId }).from(importReports).where(eq(importReports.id, id));
  const outlet = row ? await findOrg(ctx, row.outletOrgId) : null;
  if (!row || !outlet || !orgInScope(principal, outlet.path)) throw new AppError('OUT_OF_SCOPE');
  return row.csv;
}
