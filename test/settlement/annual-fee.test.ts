import { beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '../../src/modules/settlement/contract-rules.ts';
import { parseUnitPrice, parseYuan } from '../../src/modules/settlement/money.ts';
import { useHarness } from '../helpers/app.ts';
import { seedMaintenance, type Maintenance } from '../maintenance/fixtures.ts';
import { contractInput, createContract, draftStatement, evidence } from './fixtures.ts';

/**
 * A fixed annual fee (unit YEAR) is billed once per contract year, by the period holding the year's
 * first day; renewals taken add their years. An O&M contract of 128,600.00 CNY a year, billed quarterly,
 * two years from 2025-03-01, capped at 250,000.00 CNY.
 */
const OM_CONTRACT: Contract = {
  id: 'om-annual',
  contractNo: 'OM-2025-ANNUAL',
  authorityOrgId: 'authority',
  supplierOrgId: 'supplier',
  serviceKind: 'SYSTEM_OM',
  term: { start: '2025-03-01', end: '2027-02-28', renewal: null },
  cycle: 'QUARTERLY',
  value: { kind: 'CAP', cap: parseYuan('250000') },
  lotCaps: {},
  prices: [{ item: 'OM_ANNUAL_FEE', lot: null, label: '系统运维年费', unit: 'YEAR', price: { kind: 'PER_UNIT', unitPrice: parseUnitPrice('128600') } }],
  penalties: [],
};

describe('fixed annual fees', () => {
  const h = useHarness();
  let m: Maintenance;
  let contractId: string;

  beforeAll(async () => {
    m = await seedMaintenance(h());
    contractId = (await createContract(h(), m.sessions.manager, contractInput(OM_CONTRACT, { authorityOrgId: m.city.city.id, supplierOrgId: m.city.maintainer.id }, {}))).id;
  });

  it('bills the year in the quarter holding its first day, with the day as evidence', async () => {
    const first = await draftStatement(h(), m.sessions.manager, contractId, '2025-03-01', '2025-05-31');
    expect(first.lines).toEqual([expect.objectContaining({ item: 'OM_ANNUAL_FEE', count: 1, unitPrice: '128600.00', amount: '128600.00' })]);
    expect(first.netPayable).toBe('128600.00');
    const items = await evidence(h(), m.sessions.manager, first.id, first.lines[0]!.key);
    expect(items.items.map((e) => [e.kind, e.on])).toEqual([['QUANTITY', '2025-03-01']]);
  });

  it('bills nothing in the other quarters of the year', async () => {
    const second = await draftStatement(h(), m.sessions.manager, contractId, '2025-06-01', '2025-08-31');
    expect(second.lines).toEqual([]);
    expect(second.netPayable).toBe('0.00');
  });

  it('bills the second year, clamped to what remains of the cap', async () => {
    const year2 = await draftStatement(h(), m.sessions.manager, contractId, '2026-03-01', '2026-05-31');
    expect(year2.gross).toBe('128600.00');
    // 250,000.00 − 128,600.00 billed in the first year leaves 121,400.00.
    expect(year2.billable).toBe('121400.00');
  });
});
