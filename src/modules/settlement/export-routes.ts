import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import { localeFrom, type Locale } from '../../platform/errors/app-error.ts';
import { errorResponses, IdParams } from '../../http/schemas.ts';
import { evidenceList, WORDS, type EvidenceList, type EvidenceValue } from './export-content.ts';
import { statementPdf } from './export-pdf.ts';
import { statementXlsx } from './export-xlsx.ts';
import { contractViews, visibleContract } from './service.ts';
import { getStatement, statementEvidence } from './statements.ts';

/** One request reads this many evidence rows at a time, so an 18,000-card line is never one huge query. */
const EVIDENCE_PAGE = 1000;
const EXCLUDED_KEY = 'excluded';

async function allEvidence(ctx: AppContext, principal: Principal, id: string, line: string): Promise<Record<string, EvidenceValue>[]> {
  const rows: Record<string, EvidenceValue>[] = [];
  for (let offset = 0; ; offset += EVIDENCE_PAGE) {
    const page = await statementEvidence(ctx, principal, id, { line, limit: EVIDENCE_PAGE, offset });
    for (const r of page.items) rows.push({ on: r.on, ...(r.details as Record<string, EvidenceValue>) });
    if (page.items.length < EVIDENCE_PAGE || rows.length >= page.total) return rows;
  }
}

/** The statement with its evidence lists: one per line, one per penalty, and the excluded usage. */
async function exportData(ctx: AppContext, principal: Principal, id: string, lang: Locale) {
  const statement = await getStatement(ctx, principal, id);
  const [contract] = await contractViews(ctx, [await visibleContract(ctx, principal, statement.contractId)]);
  const view = { ...statement, authorityName: contract?.authorityName ?? '' };
  const w = WORDS[lang];
  const wanted: { key: string; title: string }[] = [
    ...view.lines.filter((l) => l.evidenceCount > 0).map((l) => ({ key: l.key, title: l.label })),
    ...view.penalties.filter((p) => p.evidenceCount > 0).map((p) => ({ key: p.key, title: w.ruleName[p.kind] ?? p.label })),
    ...(view.excludedCount > 0 ? [{ key: EXCLUDED_KEY, title: w.excluded }] : []),
  ];
  const evidence: EvidenceList[] = [];
  for (const { key, title } of wanted) evidence.push(evidenceList(key, title, await allEvidence(ctx, principal, id, key)));
  return { view, evidence };
}

const FileResponse = (type: string) => ({ 200: Type.Unknown({ description: type }), ...errorResponses });

/** GET …/export.pdf and …/export.xlsx: the statement to print or to work with, its evidence lists attached. */
export const settlementExportRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/api/v1/settlement/statements/:id/export.pdf',
    {
      schema: {
        tags: ['settlement'],
        summary: 'The statement as a PDF (embedded CJK font): header with approvals, lines, caps, penalties with their numbers, net payable; evidence lists as appendix pages. Language from Accept-Language',
        params: IdParams,
        response: FileResponse('application/pdf'),
      },
    },
    async (request, reply) => {
      const lang = localeFrom(request.headers['accept-language']);
      const { view, evidence } = await exportData(ctx, request.principal!, request.params.id, lang);
      const { name, body } = await statementPdf(view, evidence, lang);
      request.auditTarget = { type: 'settlement_statement', id: request.params.id };
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store').send(body);
    },
  );

  app.get(
    '/api/v1/settlement/statements/:id/export.xlsx',
    {
      schema: {
        tags: ['settlement'],
        summary: 'The statement as a workbook: the statement on the first sheet (amounts as numbers with two decimals), one sheet per evidence list. Language from Accept-Language',
        params: IdParams,
        response: FileResponse('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
      },
    },
    async (request, reply) => {
      const lang = localeFrom(request.headers['accept-language']);
      const { view, evidence } = await exportData(ctx, request.principal!, request.params.id, lang);
      const { name, body } = await statementXlsx(view, evidence, lang);
      request.auditTarget = { type: 'settlement_statement', id: request.params.id };
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .send(body);
    },
  );
};
