import type { Contract, ContractValue, Price, PriceEntry, PriceUnit } from './contract-rules.ts';
import { formatRate, formatUnitPrice, formatYuan, parseRate, parseUnitPrice, parseYuan, type Rate } from './money.ts';
import type { PenaltyRule } from './penalties.ts';

/**
 * The contract as the API and the console write it: money as yuan text ("1000000.00"), unit prices as
 * yuan text ("0.035"), rates as text ("1‰", "0.5%"). Converted to the pure contract (integer fen,
 * milli-fen, exact fractions) before any rule sees it, so no float ever reaches money.
 */

export type WirePrice =
  | { kind: 'PER_UNIT'; unitPrice: string; ceiling?: string | null }
  | { kind: 'LESS_THAN_ITEM'; item: string; less: string }
  | { kind: 'SHARE_OF_TOTAL'; share: string; dueOn: string };

export interface WirePriceEntry {
  item: string;
  lot: string | null;
  label: string;
  unit: PriceUnit | null;
  price: WirePrice;
}

export type WireValue = { kind: 'FIXED_TOTAL'; total: string } | { kind: 'CAP'; cap: string } | { kind: 'OPEN' };

export type WirePenaltyRule =
  | { id: string; kind: 'LATE_DELIVERY_PER_DAY'; perDay: string; cap: string }
  | { id: string; kind: 'PER_BREACH'; perBreach: string; terminationAfter: number; onTermination: string }
  | { id: string; kind: 'DELIVERY_RATE_BELOW'; threshold: string; deduction: string }
  | { id: string; kind: 'LATE_STATEMENT_PER_DAY'; perDay: string; dueDay: number }
  | { id: string; kind: 'FAULT_OVERTIME'; min: string; max: string; tiers: { fromMinutes: number; rate: string }[] }
  | { id: string; kind: 'REPAIR_COST_SPLIT'; supplierBearsUpTo: string };

export interface WireContractTerms {
  term: Contract['term'];
  billingCycle: Contract['cycle'];
  value: WireValue;
  lots: { lot: string; cap: string }[];
  prices: WirePriceEntry[];
  penaltyRules: WirePenaltyRule[];
}

function priceFromWire(p: WirePrice): Price {
  if (p.kind === 'PER_UNIT') return { kind: 'PER_UNIT', unitPrice: parseUnitPrice(p.unitPrice), ...(p.ceiling ? { ceiling: parseUnitPrice(p.ceiling) } : {}) };
  if (p.kind === 'LESS_THAN_ITEM') return { kind: 'LESS_THAN_ITEM', item: p.item, less: parseUnitPrice(p.less) };
  return { kind: 'SHARE_OF_TOTAL', share: parseRate(p.share), dueOn: p.dueOn };
}

function priceToWire(p: Price): WirePrice {
  if (p.kind === 'PER_UNIT') return { kind: 'PER_UNIT', unitPrice: formatUnitPrice(p.unitPrice), ceiling: p.ceiling === undefined ? null : formatUnitPrice(p.ceiling) };
  if (p.kind === 'LESS_THAN_ITEM') return { kind: 'LESS_THAN_ITEM', item: p.item, less: formatUnitPrice(p.less) };
  return { kind: 'SHARE_OF_TOTAL', share: formatRate(p.share), dueOn: p.dueOn };
}

function valueFromWire(v: WireValue): ContractValue {
  if (v.kind === 'FIXED_TOTAL') return { kind: 'FIXED_TOTAL', total: parseYuan(v.total) };
  if (v.kind === 'CAP') return { kind: 'CAP', cap: parseYuan(v.cap) };
  return { kind: 'OPEN' };
}

function valueToWire(v: ContractValue): WireValue {
  if (v.kind === 'FIXED_TOTAL') return { kind: 'FIXED_TOTAL', total: formatYuan(v.total) };
  if (v.kind === 'CAP') return { kind: 'CAP', cap: formatYuan(v.cap) };
  return { kind: 'OPEN' };
}

export function ruleFromWire(r: WirePenaltyRule): PenaltyRule {
  switch (r.kind) {
    case 'LATE_DELIVERY_PER_DAY':
      return { id: r.id, kind: r.kind, perDay: parseRate(r.perDay), cap: parseRate(r.cap) };
    case 'PER_BREACH':
      return { id: r.id, kind: r.kind, perBreach: parseRate(r.perBreach), terminationAfter: r.terminationAfter, onTermination: parseRate(r.onTermination) };
    case 'DELIVERY_RATE_BELOW':
      return { id: r.id, kind: r.kind, threshold: parseRate(r.threshold), deduction: parseRate(r.deduction) };
    case 'LATE_STATEMENT_PER_DAY':
      return { id: r.id, kind: r.kind, perDay: parseRate(r.perDay), dueDay: r.dueDay };
    case 'FAULT_OVERTIME':
      return { id: r.id, kind: r.kind, min: parseRate(r.min), max: parseRate(r.max), tiers: r.tiers.map((t) => ({ fromMinutes: t.fromMinutes, rate: parseRate(t.rate) })) };
    case 'REPAIR_COST_SPLIT':
      return { id: r.id, kind: r.kind, supplierBearsUpTo: parseYuan(r.supplierBearsUpTo) };
  }
}

export function ruleToWire(r: PenaltyRule): WirePenaltyRule {
  const f = formatRate;
  switch (r.kind) {
    case 'LATE_DELIVERY_PER_DAY':
      return { id: r.id, kind: r.kind, perDay: f(r.perDay), cap: f(r.cap) };
    case 'PER_BREACH':
      return { id: r.id, kind: r.kind, perBreach: f(r.perBreach), terminationAfter: r.terminationAfter, onTermination: f(r.onTermination) };
    case 'DELIVERY_RATE_BELOW':
      return { id: r.id, kind: r.kind, threshold: f(r.threshold), deduction: f(r.deduction) };
    case 'LATE_STATEMENT_PER_DAY':
      return { id: r.id, kind: r.kind, perDay: f(r.perDay), dueDay: r.dueDay };
    case 'FAULT_OVERTIME':
      return { id: r.id, kind: r.kind, min: f(r.min), max: f(r.max), tiers: r.tiers.map((t) => ({ fromMinutes: t.fromMinutes, rate: f(t.rate) })) };
    case 'REPAIR_COST_SPLIT':
      return { id: r.id, kind: r.kind, supplierBearsUpTo: formatYuan(r.supplierBearsUpTo) };
  }
}

export function termsFromWire(w: WireContractTerms): Pick<Contract, 'term' | 'cycle' | 'value' | 'lotCaps' | 'prices' | 'penalties'> {
  return {
    term: w.term,
    cycle: w.billingCycle,
    value: valueFromWire(w.value),
    lotCaps: Object.fromEntries(w.lots.map((l) => [l.lot, parseYuan(l.cap)])),
    prices: w.prices.map((p): PriceEntry => ({ item: p.item, lot: p.lot, label: p.label, unit: p.unit, price: priceFromWire(p.price) })),
    penalties: w.penaltyRules.map(ruleFromWire),
  };
}

export function termsToWire(c: Pick<Contract, 'term' | 'cycle' | 'value' | 'lotCaps' | 'prices' | 'penalties'>): WireContractTerms {
  return {
    term: c.term,
    billingCycle: c.cycle,
    value: valueToWire(c.value),
    lots: Object.entries(c.lotCaps).map(([lot, cap]) => ({ lot, cap: formatYuan(cap) })),
    prices: c.prices.map((p) => ({ item: p.item, lot: p.lot, label: p.label, unit: p.unit, price: priceToWire(p.price) })),
    penaltyRules: c.penalties.map(ruleToWire),
  };
}

export const rateToWire = (r: Rate | null): string | null => (r === null ? null : formatRate(r));
