import type { AppContext } from '../platform/context.ts';
import type { Principal } from '../platform/auth/principal.ts';
import { shanghaiDate } from '../modules/calendar/zone.ts';
import { billingPeriods, type Contract } from '../modules/settlement/contract-rules.ts';
import { SEED_000_PERMITS, SEED_003_SMS } from '../modules/settlement/seed-contracts.ts';
import { createContract, pureContract, type ContractInput } from '../modules/settlement/service.ts';
import { createStatement } from '../modules/settlement/statements.ts';
import { termsToWire } from '../modules/settlement/wire.ts';

function input(seed: Contract, code: string, name: string, parties: { authorityOrgId: string; supplierOrgId: string }, source: ContractInput['source']): ContractInput {
  return { code, name, ...parties, serviceKind: seed.serviceKind, ...termsToWire(seed), source, paymentTermDays: 30, interestPerDay: null };
}

/**
 * Settlement: the residence-permit production contract on seed 000's terms (10.85 CNY a card, 1‰ of
 * the total a day late, at most 5 %, 1,000,000 CNY cap), running this calendar year so that the cards
 * the demo has just produced and delivered fall in its current quarter, whose statement is drafted from
 * them; and the SMS contract of seed 003 with the built-in simulator as its provider.
 */
export async function demoSettlement(ctx: AppContext, manager: Principal, orgs: { authority: string; producer: string; smsProvider: string }, rpProgrammeId: string) {
  const today = shanghaiDate(new Date());
  const year = today.slice(0, 4);
  const permits: Contract = { ...SEED_000_PERMITS, term: { start: `${year}-01-01`, end: `${year}-12-31`, renewal: { lengthMonths: 12, max: 2, taken: 0 } } };
  const rp = await createContract(ctx, manager, input(permits, `CZ-RP-${year}-001`, `常州市居住证制证服务（${year}）`, { authorityOrgId: orgs.authority, supplierOrgId: orgs.producer }, { programmeIds: [rpProgrammeId] }));
  await createContract(ctx, manager, input(SEED_003_SMS, 'CZ-SMS-2024-003', '常州市公安局群发短信服务', { authorityOrgId: orgs.authority, supplierOrgId: orgs.smsProvider }, { smsProviders: ['simulator'] }));
  const quarter = billingPeriods(pureContract(rp)).find((p) => p.start <= today && today <= p.end)!;
  return createStatement(ctx, manager, { contractId: rp.id, periodStart: quarter.start, periodEnd: quarter.end });
}
