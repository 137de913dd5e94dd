import { ASSET_TYPE_CODES, type AssetStatus, type AssetType } from './ledger.ts';

/**
 * Spare parts (seed 001 table 2, 备品备件比例): the stock a contract must hold per equipment type is a
 * share of the outlets it serves, rounded up. Shares are kept in per-mille so that every sum stays in
 * integers (10 % = 100‰; 1 % of 37 outlets is ceil(370 / 1000) = 1).
 */

export const PER_MILLE_MAX = 1000;

/**
 * Seed 001 table 2 mapped onto the ledger's equipment types. The table names parts that the ledger
 * keeps inside a larger device: the camera, its lighting kit (10 %) and adapter (5 %) are parts of the
 * photo capture kit, which takes the camera's 10 %; the USB 2.0 CONNECT card (3 %) sits in the desktop
 * PC. Types the table does not name need no stock unless the manager sets a share.
 */
export const SEED_SPARE_PER_MILLE: Readonly<Partial<Record<AssetType, number>>> = {
  DESKTOP_PC: 100,
  FLATBED_PRINTER: 50,
  PHOTO_KIT: 100,
  CARD_READER: 150,
  CARD_PRINTER: 10,
  SCANNER: 10,
  REWRITABLE_DEVICE: 10,
  TRANSPORT_CARD_READER: 10,
};

/** The per-mille share of every type: the contract's own where it set one, the seed's otherwise. */
export function effectiveRatios(overrides: ReadonlyMap<AssetType, number>): Record<AssetType, { perMille: number; custom: boolean }> {
  return Object.fromEntries(
    ASSET_TYPE_CODES.map((type) => {
      const own = overrides.get(type);
      return [type, own === undefined ? { perMille: SEED_SPARE_PER_MILLE[type] ?? 0, custom: false } : { perMille: own, custom: true }];
    }),
  ) as Record<AssetType, { perMille: number; custom: boolean }>;
}

/** ceil(perMille / 1000 × outlets) in integers. */
export function requiredLevel(perMille: number, outlets: number): number {
  return Math.floor((perMille * outlets + PER_MILLE_MAX - 1) / PER_MILLE_MAX);
}

/** Problems of a set of per-mille shares sent by a manager. */
export function ratioProblems(ratios: readonly { type: string; perMille: number }[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const r of ratios) {
    if (!(ASSET_TYPE_CODES as string[]).includes(r.type)) problems.push(`unknown equipment type ${r.type}`);
    if (seen.has(r.type)) problems.push(`${r.type} appears twice`);
    seen.add(r.type);
    if (!Number.isInteger(r.perMille) || r.perMille < 0 || r.perMille > PER_MILLE_MAX) problems.push(`${r.type}: the share must be a whole number of per-mille from 0 to ${PER_MILLE_MAX}`);
  }
  return problems;
}

export interface StockLine {
  type: AssetType;
  perMille: number;
  required: number;
  stock: number;
  shortfall: number;
}

/** Required level, stock and shortfall per type, in the ledger's order of types. */
export function stockLines(outlets: number, ratios: Record<AssetType, { perMille: number }>, stock: ReadonlyMap<AssetType, number>): StockLine[] {
  return ASSET_TYPE_CODES.map((type) => {
    const required = requiredLevel(ratios[type].perMille, outlets);
    const have = stock.get(type) ?? 0;
    return { type, perMille: ratios[type].perMille, required, stock: have, shortfall: Math.max(0, required - have) };
  });
}

/** Whether taking one spare turns a type that was stocked well enough into one that is short. */
export function swapCreatesShortfall(required: number, stockBefore: number): boolean {
  return stockBefore >= required && stockBefore - 1 < required;
}

export const FAULTY_DESTINATIONS = ['IN_REPAIR', 'FAULTY'] as const satisfies readonly AssetStatus[];
export type FaultyDestination = (typeof FAULTY_DESTINATIONS)[number];

export interface SwapAsset {
  id: string;
  type: AssetType;
  status: AssetStatus;
  depotId: string | null;
  /** The contract the asset belongs to: its depot's for a spare, its outlet's for one in service. */
  contractId: string | null;
}

export type SwapProblem = 'SPARE_NOT_IN_STOCK' | 'SPARE_ASSET_NOT_IN_SERVICE' | 'SPARE_TYPE_MISMATCH' | 'SPARE_OTHER_CONTRACT';

/**
 * What stops a spare from replacing an asset: the spare must be in stock at a depot, the replaced
 * asset at work at an outlet (in service, or already marked faulty there), both of one type and one
 * contract.
 */
export function swapProblem(spare: SwapAsset, faulty: SwapAsset): SwapProblem | null {
  if (spare.status !== 'SPARE' || spare.depotId === null) return 'SPARE_NOT_IN_STOCK';
  if (spare.id === faulty.id || faulty.depotId !== null || (faulty.status !== 'IN_SERVICE' && faulty.status !== 'FAULTY')) return 'SPARE_ASSET_NOT_IN_SERVICE';
  if (spare.type !== faulty.type) return 'SPARE_TYPE_MISMATCH';
  if (spare.contractId === null || spare.contractId !== faulty.contractId) return 'SPARE_OTHER_CONTRACT';
  return null;
}

/** An asset comes into stock from repair or the outlet register (not from service: that is a swap; never once retired). */
export function restockable(status: AssetStatus): boolean {
  return status === 'SPARE' || status === 'FAULTY' || status === 'IN_REPAIR';
}
