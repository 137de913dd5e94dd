import { expect } from 'vitest';
import type { Contract } from '../../src/modules/settlement/contract-rules.ts';
import type { ContractInput } from '../../src/modules/settlement/service.ts';
import type { ContractSource } from '../../src/modules/settlement/schema.ts';
import { termsToWire } from '../../src/modules/settlement/wire.ts';
import type { Harness, Session } from '../helpers/app.ts';

/** A seed contract as the API takes it, between real organisations and with what it drafts from. */
export function contractInput(seed: Contract, parties: { authorityOrgId: string; supplierOrgId: string }, source: ContractSource, extra: Partial<ContractInput> = {}): ContractInput {
  return {
    code: seed.contractNo,
    name: `${seed.contractNo} 结算合同`,
    ...parties,
    serviceKind: seed.serviceKind,
    ...termsToWire(seed),
    source,
    paymentTermDays: null,
    interestPerDay: null,
    ...extra,
  };
}

export async function createContract(h: Harness, session: Session, body: ContractInput): Promise<{ id: string }> {
  const res = await h.request('POST', '/api/v1/settlement/contracts', { session, body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

export interface StatementBody {
  id: string;
  status: string;
  kind: string;
  lines: { key: string; item: string; lot: string | null; count: number; unitPrice: string; amount: string; evidenceCount: number; difference: string | null }[];
  penalties: { key: string; rule: string; amount: string; explanation: string; evidenceCount: number }[];
  excludedCount: number;
  gross: string;
  billable: string;
  deductions: string;
  additions: string;
  netPayable: string;
  adjustment: { previousNetPayable: string; difference: string } | null;
  amountDue: string;
  paid: string;
  outstanding: string | null;
  dueOn: string | null;
  overdue: boolean;
  interestOwed: string | null;
  preparedBy: string | null;
  approvedBy: string | null;
}

export async function draftStatement(h: Harness, session: Session, contractId: string, periodStart: string, periodEnd: string): Promise<StatementBody> {
  const res = await h.request('POST', '/api/v1/settlement/statements', { session, body: { contractId, periodStart, periodEnd } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as StatementBody;
}

export async function evidence(h: Harness, session: Session, statementId: string, line: string): Promise<{ items: { evidenceId: string; kind: string; on: string; details: Record<string, unknown> }[]; total: number }> {
  const res = await h.request('GET', `/api/v1/settlement/statements/${statementId}/evidence?line=${encodeURIComponent(line)}&limit=1000`, { session });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: { evidenceId: string; kind: string; on: string; details: Record<string, unknown> }[]; total: number };
}
