import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable, Tx } from '../../platform/db/engine.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { csvField, parseCsv } from '../applications/csv.ts';
import { orgsByIds } from '../orgs/service.ts';
import { maintenanceAssetChanges, maintenanceAssets, maintenanceSites } from './schema.ts';
import { siteVisible, visibleSite } from './scope.ts';
import { maintenanceSpareDepots } from './spares-schema.ts';
import { ASSET_STATUSES, ASSET_TYPES, LEDGER_COLUMNS, assetProblems, checkLedgerRows, type AssetFields, type AssetStatus, type AssetType } from './ledger.ts';

/** The equipment ledger: assets per outlet, their change history, import and export (设备台帐). */

export type AssetRow = typeof maintenanceAssets.$inferSelect;
type Actor = { id: string; name: string };

const FIELDS = ['type', 'serial', 'model', 'status', 'samCardNo', 'purchaseDate', 'warrantyUntil', 'siteOrgId'] as const;

function actorOf(principal: Principal): Actor {
  return { id: principal.id, name: principal.name };
}

export function assetView(a: AssetRow, siteName: string) {
  return {
    id: a.id,
    siteOrgId: a.siteOrgId,
    siteName,
    type: a.type,
    serial: a.serial,
    model: a.model,
    status: a.status,
    samCardNo: a.samCardNo,
    purchaseDate: a.purchaseDate,
    warrantyUntil: a.warrantyUntil,
    updatedAt: a.updatedAt.toISOString(),
  };
}

function assetsVisible(ctx: AppContext, principal: Principal) {
  return siteVisible(ctx, principal, maintenanceAssets.siteOrgId, maintenanceSites.contractId);
}

export async function listAssets(ctx: AppContext, principal: Principal, filter: { siteOrgId?: string; type?: AssetType; status?: AssetStatus; limit?: number; offset?: number }) {
  const where = and(
    assetsVisible(ctx, principal),
    filter.siteOrgId ? eq(maintenanceAssets.siteOrgId, filter.siteOrgId) : undefined,
    filter.type ? eq(maintenanceAssets.type, filter.type) : undefined,
    filter.status ? eq(maintenanceAssets.status, filter.status) : undefined,
  );
  const base = ctx.db.orm.select({ asset: maintenanceAssets }).from(maintenanceAssets).innerJoin(maintenanceSites, eq(maintenanceSites.orgId, maintenanceAssets.siteOrgId)).where(where);
  const rows = await base.orderBy(asc(maintenanceAssets.siteOrgId), asc(maintenanceAssets.type), asc(maintenanceAssets.serial)).limit(filter.limit ?? 100).offset(filter.offset ?? 0);
  const [{ n } = { n: 0 }] = await ctx.db.orm
    .select({ n: sql<number>`count(*)::int` })
    .from(maintenanceAssets)
    .innerJoin(maintenanceSites, eq(maintenanceSites.orgId, maintenanceAssets.siteOrgId))
    .where(where);
  const names = await orgsByIds(ctx, rows.map((r) => r.asset.siteOrgId));
  return { items: rows.map((r) => assetView(r.asset, names.get(r.asset.siteOrgId)?.name ?? '')), total: n };
}

/** The asset if the principal may see it (404 otherwise). */
export async function visibleAsset(ctx: AppContext, principal: Principal, id: string, q: Queryable = ctx.db.orm): Promise<AssetRow> {
  const [row] = await q
    .select({ asset: maintenanceAssets })
    .from(maintenanceAssets)
    .innerJoin(maintenanceSites, eq(maintenanceSites.orgId, maintenanceAssets.siteOrgId))
    .where(and(eq(maintenanceAssets.id, id), siteVisible(ctx, principal, maintenanceAssets.siteOrgId, maintenanceSites.contractId, q)));
  if (!row) throw new AppError('NOT_FOUND');
  return row.asset;
}

function assertAsset(fields: AssetFields): void {
  const problems = assetProblems(fields);
  if (problems.length > 0) throw new AppError('ASSET_INVALID', { params: { reason: problems.join('; ') }, details: { problems } });
}

async function serialTaken(tx: Tx, serial: string, exceptId?: string): Promise<boolean> {
  const rows = await tx
    .select({ id: maintenanceAssets.id })
    .from(maintenanceAssets)
    .where(sql`upper(${maintenanceAssets.serial}) = upper(${serial})${exceptId ? sql` and ${maintenanceAssets.id} <> ${exceptId}::uuid` : sql``}`);
  return rows.length > 0;
}

function creationChanges(a: AssetFields & { siteOrgId: string }) {
  return Object.fromEntries(FIELDS.map((f) => [f, { from: null, to: a[f] }]));
}

export async function createAsset(ctx: AppContext, principal: Principal, input: AssetFields & { siteOrgId: string }) {
  assertAsset(input);
  await visibleSite(ctx, principal, input.siteOrgId);
  const actor = actorOf(principal);
  const row = await ctx.db.orm.transaction(async (tx) => {
    if (await serialTaken(tx, input.serial)) throw new AppError('ASSET_SERIAL_TAKEN', { params: { serial: input.serial } });
    const [asset] = await tx.insert(maintenanceAssets).values(input).returning();
    await tx.insert(maintenanceAssetChanges).values({ assetId: asset!.id, seq: 1, kind: 'CREATE', changes: creationChanges(input), actorId: actor.id, actorName: actor.name });
    return asset!;
  });
  const names = await orgsByIds(ctx, [row.siteOrgId]);
  return assetView(row, names.get(row.siteOrgId)?.name ?? '');
}

/** Changes some fields; the history row lists exactly the fields whose value changed (old → new). */
export async function updateAsset(ctx: AppContext, principal: Principal, id: string, patch: Partial<AssetFields & { siteOrgId: string }>) {
  const actor = actorOf(principal);
  const row = await ctx.db.orm.transaction(async (tx) => {
    await visibleAsset(ctx, principal, id, tx);
    const [current] = await tx.select().from(maintenanceAssets).where(eq(maintenanceAssets.id, id)).for('update');
    const next = { ...current!, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as AssetRow;
    assertAsset(next);
    if (patch.siteOrgId && patch.siteOrgId !== current!.siteOrgId) await visibleSite(ctx, principal, patch.siteOrgId, tx);
    if (patch.serial && patch.serial !== current!.serial && (await serialTaken(tx, patch.serial, id))) {
      throw new AppError('ASSET_SERIAL_TAKEN', { params: { serial: patch.serial } });
    }
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const f of FIELDS) if (next[f] !== current![f]) changes[f] = { from: current![f], to: next[f] };
    if (Object.keys(changes).length === 0) return current!;
    const [{ seq } = { seq: 0 }] = await tx.select({ seq: sql<number>`coalesce(max(${maintenanceAssetChanges.seq}), 0)::int` }).from(maintenanceAssetChanges).where(eq(maintenanceAssetChanges.assetId, id));
    const set = Object.fromEntries(Object.keys(changes).map((f) => [f, next[f as (typeof FIELDS)[number]]]));
    const [updated] = await tx
      .update(maintenanceAssets)
      .set({ ...set, updatedAt: new Date() })
      .where(eq(maintenanceAssets.id, id))
      .returning();
    await tx.insert(maintenanceAssetChanges).values({ assetId: id, seq: seq + 1, kind: 'UPDATE', changes, actorId: actor.id, actorName: actor.name });
    return updated!;
  });
  const names = await orgsByIds(ctx, [row.siteOrgId]);
  return assetView(row, names.get(row.siteOrgId)?.name ?? '');
}

export async function assetHistory(ctx: AppContext, principal: Principal, id: string) {
  await visibleAsset(ctx, principal, id);
  const rows = await ctx.db.orm.select().from(maintenanceAssetChanges).where(eq(maintenanceAssetChanges.assetId, id)).orderBy(asc(maintenanceAssetChanges.seq));
  // The history keeps outlet ids (they never change); names are looked up for reading.
  const siteIds = rows.flatMap((r) => [r.changes.siteOrgId?.from, r.changes.siteOrgId?.to]).filter((v): v is string => typeof v === 'string');
  const orgs = await orgsByIds(ctx, siteIds);
  return {
    items: rows.map((r) => ({ seq: r.seq, kind: r.kind, changes: r.changes, actorName: r.actorName, at: r.at.toISOString() })),
    orgNames: Object.fromEntries([...orgs].map(([orgId, o]) => [orgId, o.name])),
  };
}

/** The first worksheet as rows of text, numbered as the spreadsheet numbers them. */
async function xlsxRows(base64: string): Promise<{ row: number; fields: string[] }[]> {
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs declares the Buffer of older @types/node, which the current generic Buffer does not satisfy.
    await wb.xlsx.load(Buffer.from(base64, 'base64') as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch {
    throw new AppError('ASSET_IMPORT_INVALID', { params: { count: 1 }, details: { rows: [{ row: 0, serial: null, errors: ['the file is not an XLSX workbook'] }] } });
  }
  const sheet = wb.worksheets[0];
  const out: { row: number; fields: string[] }[] = [];
  sheet?.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const fields: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) fields.push(row.getCell(c).text ?? '');
    out.push({ row: rowNumber, fields });
  });
  return out;
}

/**
 * All or nothing: every row is checked (types, statuses, outlets in scope, serials against the file and
 * the ledger) and the file is written only when no row has an error; otherwise every bad row is listed.
 */
export async function importLedger(ctx: AppContext, principal: Principal, input: { format: 'csv' | 'xlsx'; content: string }) {
  const all =
    input.format === 'csv'
      ? parseCsv(input.content.replace(/^\uFEFF/, '')).map((r) => ({ row: r.line, fields: r.fields }))
      : await xlsxRows(input.content);
  const [header, ...rows] = all;
  if (!header || rows.length === 0) {
    throw new AppError('ASSET_IMPORT_INVALID', { params: { count: 1 }, details: { rows: [{ row: 0, serial: null, errors: ['the file has no data rows'] }] } });
  }
  const sites = await ctx.db.orm
    .select({ orgId: maintenanceSites.orgId })
    .from(maintenanceSites)
    .where(siteVisible(ctx, principal, maintenanceSites.orgId, maintenanceSites.contractId));
  const orgs = await orgsByIds(ctx, sites.map((s) => s.orgId));
  const byText = new Map<string, string>();
  for (const [id, org] of orgs) {
    byText.set(id, id);
    byText.set(org.name, id);
  }
  const existing = await ctx.db.orm.select({ serial: sql<string>`upper(${maintenanceAssets.serial})` }).from(maintenanceAssets);
  const checked = checkLedgerRows(header.fields, rows, (t) => byText.get(t), new Set(existing.map((e) => e.serial)));
  if (checked.headerProblems.length > 0) {
    throw new AppError('ASSET_IMPORT_INVALID', { params: { count: 1 }, details: { rows: [{ row: header.row, serial: null, errors: checked.headerProblems }] } });
  }
  if (checked.errors.length > 0) throw new AppError('ASSET_IMPORT_INVALID', { params: { count: checked.errors.length }, details: { rows: checked.errors } });
  const actor = actorOf(principal);
  await ctx.db.orm.transaction(async (tx) => {
    for (let i = 0; i < checked.rows.length; i += 500) {
      const chunk = checked.rows.slice(i, i + 500).map(({ row: _row, ...fields }) => fields);
      const inserted = await tx.insert(maintenanceAssets).values(chunk).returning({ id: maintenanceAssets.id, serial: maintenanceAssets.serial });
      const bySerial = new Map(chunk.map((c) => [c.serial, c]));
      await tx.insert(maintenanceAssetChanges).values(
        inserted.map((a) => ({ assetId: a.id, seq: 1, kind: 'IMPORT' as const, changes: creationChanges(bySerial.get(a.serial)!), actorId: actor.id, actorName: actor.name })),
      );
    }
  });
  return { imported: checked.rows.length };
}

/** The equipment ledger (设备台帐) of every asset the principal may see, with Chinese column titles and names. */
export async function exportLedger(ctx: AppContext, principal: Principal, format: 'csv' | 'xlsx'): Promise<Buffer> {
  const rows = await ctx.db.orm
    .select({ asset: maintenanceAssets })
    .from(maintenanceAssets)
    .innerJoin(maintenanceSites, eq(maintenanceSites.orgId, maintenanceAssets.siteOrgId))
    .where(assetsVisible(ctx, principal))
    .orderBy(asc(maintenanceAssets.siteOrgId), asc(maintenanceAssets.type), asc(maintenanceAssets.serial));
  const names = await orgsByIds(ctx, rows.map((r) => r.asset.siteOrgId));
  const depotIds = [...new Set(rows.flatMap((r) => (r.asset.depotId ? [r.asset.depotId] : [])))];
  const depots = new Map(
    depotIds.length ? (await ctx.db.orm.select({ id: maintenanceSpareDepots.id, name: maintenanceSpareDepots.name }).from(maintenanceSpareDepots).where(inArray(maintenanceSpareDepots.id, depotIds))).map((d) => [d.id, d.name]) : [],
  );
  const table = rows.map(({ asset: a }) => [
    ASSET_TYPES[a.type].zh,
    a.serial,
    a.model,
    names.get(a.siteOrgId)?.name ?? a.siteOrgId,
    ASSET_STATUSES[a.status],
    a.samCardNo ?? '',
    a.purchaseDate ?? '',
    a.warrantyUntil ?? '',
    a.depotId ? (depots.get(a.depotId) ?? '') : '',
  ]);
  const header = LEDGER_COLUMNS.map((c) => c.title);
  if (format === 'csv') {
    return Buffer.from(`\uFEFF${[header, ...table].map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`, 'utf8');
  }
  const wb = new ExcelJS.Workbook();
  wb.creator = 'cardflow';
  const ws = wb.addWorksheet('设备台帐');
  ws.addRow(header).font = { bold: true };
  for (const r of table) ws.addRow(r);
  ws.columns.forEach((c) => (c.width = 18));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
