import type { Contract } from './contract-rules.ts';
import { parseUnitPrice, parseYuan, percent, perMille } from './money.ts';

/**
 * The five seed contracts (../shared/seeds) as settlement data, for tests, docs and demo data. Numbers
 * are the seeds' own; where a seed leaves a value open the choice is named in a comment. Organisation
 * ids are placeholders the demo replaces with real ones.
 */

/** Seed 000, Changzhou residence permits: 10.85 CNY per qualified card, paid every three months, at most 1,000,000 CNY. */
export const SEED_000_PERMITS: Contract = {
  id: 'seed-000',
  contractNo: '常采单[2023]0023',
  authorityOrgId: 'org-changzhou-psb',
  supplierOrgId: 'org-changzhou-security-services',
  serviceKind: 'CARD_PRODUCTION',
  // 2023-07-20 to 2024-07-19, renewable a year at a time at most twice (§1, §6.3).
  term: { start: '2023-07-20', end: '2024-07-19', renewal: { lengthMonths: 12, max: 2, taken: 0 } },
  cycle: 'QUARTERLY',
  value: { kind: 'CAP', cap: parseYuan('1000000') },
  lotCaps: {},
  prices: [{ item: 'PERMIT_CARD', lot: null, label: '居住证（合格证件）', unit: 'CARD', price: { kind: 'PER_UNIT', unitPrice: parseUnitPrice('10.85') } }],
  // §9.2: 1‰ of the contract total per day late, at most 5 % of it in all.
  penalties: [{ id: 'late-delivery', kind: 'LATE_DELIVERY_PER_DAY', perDay: perMille(1), cap: percent(5) }],
};

/** Seed 001, Shanghai outlet maintenance: 1,663,800 CNY, half on signing, half before November 2025; 1 % per breach. */
export const SEED_001_MAINTENANCE: Contract = {
  id: 'seed-001',
  contractNo: '11N4252038312025801',
  authorityOrgId: 'org-shanghai-sscard-centre',
  supplierOrgId: 'org-shanghai-shengwei',
  serviceKind: 'MAINTENANCE',
  term: { start: '2025-09-01', end: '2026-08-31', renewal: null },
  cycle: 'MILESTONE',
  value: { kind: 'FIXED_TOTAL', total: parseYuan('1663800') },
  lotCaps: {},
  prices: [
    // The first half is paid once the performance bond is in; the seed names no date, so the end of the first month.
    { item: 'SIGNING', lot: null, label: '合同签订并收到履约保证金后支付 50%', unit: 'MILESTONE', price: { kind: 'SHARE_OF_TOTAL', share: percent(50), dueOn: '2025-09-30' } },
    { item: 'FINAL', lot: null, label: '2025 年 11 月前支付剩余 50%', unit: 'MILESTONE', price: { kind: 'SHARE_OF_TOTAL', share: percent(50), dueOn: '2025-10-31' } },
  ],
  // §7: 1 % of the contract price per breach; after 5 the authority may terminate, and then 20 % more.
  penalties: [{ id: 'breach', kind: 'PER_BREACH', perBreach: percent(1), terminationAfter: 5, onTermination: percent(20) }],
};

/** Seed 002, Beijing residence permit system O&M: 6,015,320 CNY, 50 % within 15 days of signing, 50 % after acceptance. */
export const SEED_002_OM: Contract = {
  id: 'seed-002',
  contractNo: 'GAJ-XXHXTYW-3.1',
  authorityOrgId: 'org-beijing-population-office',
  supplierOrgId: 'org-beijing-yanxun',
  serviceKind: 'SYSTEM_OM',
  term: { start: '2026-05-29', end: '2027-05-28', renewal: null },
  cycle: 'MILESTONE',
  value: { kind: 'FIXED_TOTAL', total: parseYuan('6015320') },
  lotCaps: {},
  prices: [
    { item: 'SIGNING', lot: null, label: '合同生效后 15 日内支付 50%', unit: 'MILESTONE', price: { kind: 'SHARE_OF_TOTAL', share: percent(50), dueOn: '2026-06-13' } },
    // Paid within 15 days of acceptance, which follows the term; the service it pays for ends with the term.
    { item: 'ACCEPTANCE', lot: null, label: '验收合格后支付 50%', unit: 'MILESTONE', price: { kind: 'SHARE_OF_TOTAL', share: percent(50), dueOn: '2027-05-28' } },
  ],
  // §3.2(4): a repair up to 10,000 CNY (inclusive) is the supplier's, a dearer one the authority's.
  penalties: [{ id: 'repair-split', kind: 'REPAIR_COST_SPLIT', supplierBearsUpTo: parseYuan('10000') }],
};

/** Seed 003, Changzhou bulk SMS: 0.035 CNY per message, billed monthly, paid every half year. */
export const SEED_003_SMS: Contract = {
  id: 'seed-003',
  contractNo: 'JSZC-320400-JZCG-G2024-0357',
  authorityOrgId: 'org-changzhou-psb',
  supplierOrgId: 'org-china-mobile-changzhou',
  serviceKind: 'SMS',
  term: { start: '2024-09-01', end: '2027-08-31', renewal: null },
  cycle: 'HALF_YEARLY',
  value: { kind: 'OPEN' },
  lotCaps: {},
  prices: [{ item: 'SMS_SEGMENT', lot: null, label: '群发短信服务（计费条数）', unit: 'MESSAGE_SEGMENT', price: { kind: 'PER_UNIT', unitPrice: parseUnitPrice('0.035') } }],
  penalties: [
    // §6(3): delivery below 98 % for the provider's own reasons deducts 5 % of the payment period's amount.
    { id: 'delivery-rate', kind: 'DELIVERY_RATE_BELOW', threshold: percent(98), deduction: percent(5) },
    // §5.7: the usage list of a month is due by the 10th of the next; 0.5 % of the period amount per day late.
    { id: 'late-usage-list', kind: 'LATE_STATEMENT_PER_DAY', perDay: percent('0.5'), dueDay: 10 },
    // §6(2): 0.5 %–2 % per fault fixed over time (120 minutes). The seed gives only the range; these tiers are an assumed schedule.
    {
      id: 'fault-overtime',
      kind: 'FAULT_OVERTIME',
      min: percent('0.5'),
      max: percent(2),
      tiers: [
        { fromMinutes: 1, rate: percent('0.5') },
        { fromMinutes: 60, rate: percent(1) },
        { fromMinutes: 240, rate: percent(2) },
      ],
    },
  ],
};

/**
 * Seed 004, Foshan social security cards, three lots: a finished card at most 10 CNY, a prefabricated
 * card the finished price less the card-face personalisation fee, settled every 6 months within each
 * lot's budget. The bid prices and fees here are examples below the ceiling; the start date is assumed
 * (the seed runs three years from signing).
 */
export const SEED_004_SSCARDS: Contract = {
  id: 'seed-004',
  contractNo: '佛山市社会保障卡卡片采购和个性化服务项目',
  authorityOrgId: 'org-foshan-sscard-centre',
  supplierOrgId: 'org-card-maker',
  serviceKind: 'CARD_PURCHASE_PERSONALISATION',
  term: { start: '2025-01-01', end: '2027-12-31', renewal: null },
  cycle: 'HALF_YEARLY',
  value: { kind: 'CAP', cap: parseYuan('27500000') },
  lotCaps: { '1': parseYuan('13750000'), '2': parseYuan('8250000'), '3': parseYuan('5500000') },
  prices: (
    [
      ['1', '9.80', '1.20'],
      ['2', '9.95', '1.50'],
      ['3', '9.90', '1.30'],
    ] as const
  ).flatMap(([lot, finished, fee]) => [
    { item: 'FINISHED_CARD', lot, label: `成品卡（包组${lot}）`, unit: 'CARD' as const, price: { kind: 'PER_UNIT' as const, unitPrice: parseUnitPrice(finished), ceiling: parseUnitPrice('10') } },
    { item: 'PREFAB_CARD', lot, label: `预制卡（包组${lot}）`, unit: 'CARD' as const, price: { kind: 'LESS_THAN_ITEM' as const, item: 'FINISHED_CARD', less: parseUnitPrice(fee) } },
  ]),
  penalties: [],
};

export const SEED_CONTRACTS: readonly Contract[] = [SEED_000_PERMITS, SEED_001_MAINTENANCE, SEED_002_OM, SEED_003_SMS, SEED_004_SSCARDS];
