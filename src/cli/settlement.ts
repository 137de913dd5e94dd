import type { Command } from 'commander';
import { eq } from 'drizzle-orm';
import { appendAudit } from '../platform/audit/service.ts';
import { settlementContracts } from '../modules/settlement/schema.ts';
import { insertDraft, listStatements } from '../modules/settlement/statements.ts';
import { formatYuan } from '../modules/settlement/money.ts';
import { cliPrincipal, fail, withPlatform } from './support.ts';

const PERIOD = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;

/** `cardflow settlement draft|list`: statements from the command line, as the period-end job would draft them. */
export function registerSettlementCommand(program: Command): void {
  const settlement = program.command('settlement').description('contract settlement statements');
  settlement
    .command('draft')
    .description('draft the statement of one billing period from the recorded events (cards, messages, breaches, milestones); audited')
    .requiredOption('--contract <code>', 'the contract number, e.g. 常采单[2023]0023')
    .requiredOption('--period <start..end>', 'a billing period of the contract, e.g. 2023-07-20..2023-10-19')
    .action((o: { contract: string; period: string }) =>
      withPlatform(async (ctx) => {
        const m = PERIOD.exec(o.period);
        if (!m) fail('--period must be written YYYY-MM-DD..YYYY-MM-DD');
        const [contract] = await ctx.db.orm.select().from(settlementContracts).where(eq(settlementContracts.code, o.contract));
        if (!contract) fail(`no settlement contract numbered ${o.contract}`);
        const row = await insertDraft(ctx, 'CLI:cli', contract, m[1]!, m[2]!);
        await appendAudit(ctx, {
          actorType: 'CLI',
          actorName: 'cli',
          action: 'settlement.statement.draft',
          targetType: 'settlement_statement',
          targetId: row.id,
          outcome: 'SUCCESS',
          details: { contract: contract.code, periodStart: row.periodStart, periodEnd: row.periodEnd, netPayableFen: row.netPayableFen },
        });
        const s = row.statement;
        process.stdout.write(`statement ${row.id} (DRAFT) ${contract.code} ${row.periodStart}..${row.periodEnd}\n`);
        for (const l of s.lines) process.stdout.write(`  ${l.label.padEnd(30)} ${l.formula}\n`);
        for (const p of s.penalties) if (p.amount > 0) process.stdout.write(`  ${p.ruleId.padEnd(30)} ${p.effect === 'ADDITION' ? '+' : '-'}${formatYuan(p.amount)}\n`);
        process.stdout.write(`  billable ${formatYuan(s.billable)}  deductions ${formatYuan(s.deductions)}  additions ${formatYuan(s.additions)}  net payable ${formatYuan(s.netPayable)}\n`);
      }),
    );
  settlement
    .command('list')
    .description('list statements, latest period first')
    .option('--limit <n>', 'how many', '50')
    .action((o: { limit: string }) =>
      withPlatform(async (ctx) => {
        const limit = Number(o.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000) fail('--limit must be 1 to 1000');
        const { items, total } = await listStatements(ctx, await cliPrincipal(ctx), { limit });
        for (const s of items) process.stdout.write(`${s.id}  ${s.contractCode}  ${s.periodStart}..${s.periodEnd}  ${s.kind.padEnd(10)} ${s.status.padEnd(10)} ${s.netPayable.padStart(16)}\n`);
        process.stdout.write(`${items.length} of ${total} statements\n`);
      }),
    );
}
