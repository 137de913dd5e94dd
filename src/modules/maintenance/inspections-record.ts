import type { Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Locale } from '../../platform/errors/app-error.ts';
import { createPdf, facts, finishPdf, signatures, table, title } from '../../platform/pdf/document.ts';
import { getRound } from './inspections-service.ts';
import type { AnswerResult } from './visits-rules.ts';

const WORDS = {
  'zh-CN': {
    title: '核心系统日常巡检记录',
    site: '巡检站点',
    contract: '运维合同',
    day: '巡检日期',
    engineer: '巡检人员',
    status: '状态',
    statuses: { OPEN: '巡检中', SIGNED: '已签字' },
    summary: '巡检结果',
    summaryText: (n: { itemCount: number; ok: number; problems: number; notApplicable: number }) =>
      `共 ${n.itemCount} 项：正常 ${n.ok} 项，发现问题 ${n.problems} 项，不适用 ${n.notApplicable} 项`,
    seq: '序号',
    category: '类别',
    item: '巡检内容',
    result: '结果',
    note: '说明 / 工单',
    results: { OK: '正常', PROBLEM: '发现问题', NA: '不适用' } as Record<AnswerResult, string>,
    unanswered: '未填写',
    notes: '发现的问题',
    ticket: '故障工单',
    signedLine: (name: string, at: string) => `巡检人员 ${name} 已于 ${at} 在系统中签字确认。`,
    engineerSign: '巡检人员签字',
    reviewer: '甲方项目负责人审阅',
    dateLabel: '日期',
    page: (n: number, m: number) => `第 ${n} 页 / 共 ${m} 页`,
  },
  'en-US': {
    title: 'Core system daily inspection record',
    site: 'Site',
    contract: 'Contract',
    day: 'Date',
    engineer: 'Inspected by',
    status: 'Status',
    statuses: { OPEN: 'in progress', SIGNED: 'signed' },
    summary: 'Result',
    summaryText: (n: { itemCount: number; ok: number; problems: number; notApplicable: number }) =>
      `${n.itemCount} items: ${n.ok} OK, ${n.problems} problems found, ${n.notApplicable} not applicable`,
    seq: 'No.',
    category: 'Category',
    item: 'Item',
    result: 'Result',
    note: 'Note / ticket',
    results: { OK: 'OK', PROBLEM: 'problem found', NA: 'not applicable' } as Record<AnswerResult, string>,
    unanswered: 'not answered',
    notes: 'Problems found',
    ticket: 'ticket',
    signedLine: (name: string, at: string) => `Signed in the system by ${name} at ${at}.`,
    engineerSign: 'Inspected by',
    reviewer: "Client's project lead",
    dateLabel: 'Date',
    page: (n: number, m: number) => `Page ${n} of ${m}`,
  },
} as const;

/**
 * 巡检记录 (seed 002: 形成巡检工作记录，记录巡检人员、内容、结果): the round's items with their results,
 * notes and tickets, who inspected and signed, and a line for the client's review.
 */
export async function inspectionRecordPdf(ctx: AppContext, principal: Principal, id: string, lang: Locale): Promise<{ name: string; pdf: Buffer }> {
  const r = await getRound(ctx, principal, id);
  const w = WORDS[lang];
  const doc = createPdf({ title: `${w.title} ${r.siteName} ${r.day}`, lang });
  title(doc, w.title);
  facts(doc, [
    [w.site, r.siteName],
    [w.contract, r.contractName],
    [w.day, r.day],
    [w.engineer, r.signedByName ?? r.openedByName ?? ''],
    [w.status, w.statuses[r.status]],
    [w.summary, w.summaryText(r)],
  ]);
  const answers = new Map(r.answers.map((a) => [a.code, a]));
  const noteOf = (code: string) => {
    const a = answers.get(code);
    return [a?.note, a?.ticketNo ? `${w.ticket} ${a.ticketNo}` : null].filter(Boolean).join('；');
  };
  table(
    doc,
    [
      { header: w.seq, width: 0.06, align: 'right' },
      { header: w.category, width: 0.12 },
      { header: w.item, width: 0.46 },
      { header: w.result, width: 0.12, align: 'center' },
      { header: w.note, width: 0.24 },
    ],
    r.items.map((item, i) => {
      const a = answers.get(item.code);
      return [String(i + 1), item.category, lang === 'zh-CN' ? item.zh : item.en, a ? w.results[a.result] : w.unanswered, noteOf(item.code)];
    }),
  );
  // A cell keeps one line; every problem is printed in full below the table.
  const noted = r.items.flatMap((item, i) => (answers.get(item.code)?.result === 'PROBLEM' ? [`${i + 1}. ${lang === 'zh-CN' ? item.zh : item.en}：${noteOf(item.code)}`] : []));
  if (noted.length > 0) {
    doc.font('bold').text(w.notes).font('regular');
    for (const line of noted) doc.text(line, { width: doc.page.width - doc.page.margins.left - doc.page.margins.right });
    doc.moveDown(0.8);
  }
  if (r.signedByName && r.signedAtLocal) {
    doc.text(w.signedLine(r.signedByName, r.signedAtLocal));
    signatures(doc, [w.reviewer], w.dateLabel);
  } else {
    signatures(doc, [w.engineerSign, w.reviewer], w.dateLabel);
  }
  return { name: `${r.day}-${r.id.slice(0, 8)}`, pdf: await finishPdf(doc, w.page) };
}
