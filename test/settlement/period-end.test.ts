import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { shanghaiInstant } from '../../src/modules/calendar/zone.ts';
import type { Contract } from '../../src/modules/settlement/contract-rules.ts';
import { parseUnitPrice } from '../../src/modules/settlement/money.ts';
import { PERIOD_END_ACTOR, periodEndTick } from '../../src/modules/settlement/scheduler.ts';
import { settlementStatements } from '../../src/modules/settlement/schema.ts';
import { auditLog } from '../../src/platform/audit/schema.ts';
import { createLogger } from '../../src/platform/logging/logger.ts';
import { useHarness } from '../helpers/app.ts';
import { seedMaintenance, type Maintenance } from '../maintenance/fixtures.ts';
import { contractInput, createContract } from './fixtures.ts';

/** An annual O&M fee billed quarterly from 2026-01-01: by 2026-07-02 two quarters have ended. */
const ANNUAL: Contract = {
  id: 'om-period-end',
  contractNo: 'OM-2026-PERIOD-END',
  authorityOrgId: 'authority',
  supplierOrgId: 'supplier',
  serviceKind: 'SYSTEM_OM',
  term: { start: '2026-01-01', end: '2026-12-31', renewal: null },
  cycle: 'QUARTERLY',
  value: { kind: 'OPEN' },
  lotCaps: {},
  prices: [{ item: 'OM_ANNUAL_FEE', lot: null, label: '系统运维年费', unit: 'YEAR', price: { kind: 'PER_UNIT', unitPrice: parseUnitPrice('96000') } }],
  penalties: [],
};

describe('period-end drafting', () => {
  const h = useHarness();
  let m: Maintenance;
  let contractId: string;
  const logger = createLogger('silent');

  beforeAll(async () => {
    m = await seedMaintenance(h());
    contractId = (await createContract(h(), m.sessions.manager, contractInput(ANNUAL, { authorityOrgId: m.city.city.id, supplierOrgId: m.city.maintainer.id }, {}))).id;
  });

  const drafts = () =>
    h()
      .ctx.db.orm.select({ start: settlementStatements.periodStart, status: settlementStatements.status, by: settlementStatements.draftedBy, net: settlementStatements.netPayableFen })
      .from(settlementStatements)
      .where(eq(settlementStatements.contractId, contractId))
      .orderBy(settlementStatements.periodStart);

  it('drafts nothing while the first period runs', async () => {
    expect(await periodEndTick(h().ctx, logger, shanghaiInstant('2026-03-31', 12 * 60))).toEqual({ drafted: 0, failed: 0 });
    expect(await drafts()).toEqual([]);
  });

  it('drafts every ended period once, from the events, as the period-end actor, audited', async () => {
    expect(await periodEndTick(h().ctx, logger, shanghaiInstant('2026-07-02', 0))).toEqual({ drafted: 2, failed: 0 });
    expect(await drafts()).toEqual([
      { start: '2026-01-01', status: 'DRAFT', by: PERIOD_END_ACTOR, net: 9_600_000 },
      { start: '2026-04-01', status: 'DRAFT', by: PERIOD_END_ACTOR, net: 0 },
    ]);
    const audited = await h().ctx.db.orm.select().from(auditLog).where(and(eq(auditLog.action, 'settlement.statement.draft'), eq(auditLog.actorType, 'SYSTEM')));
    expect(audited).toHaveLength(2);
  });

  it('leaves drafted periods alone on the next runs', async () => {
    expect(await periodEndTick(h().ctx, logger, shanghaiInstant('2026-07-03', 0))).toEqual({ drafted: 0, failed: 0 });
    expect(await drafts()).toHaveLength(2);
  });
});
