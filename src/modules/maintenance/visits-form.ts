import type { Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Locale } from '../../platform/errors/app-error.ts';
import { createPdf, facts, finishPdf, signatures, table, title } from '../../platform/pdf/document.ts';
import type { AnswerResult } from './visits-rules.ts';
import { visitForPrint } from './visits-service.ts';

const WORDS = {
  'zh-CN': {
    title: '受理网点维护单',
    photoTitle: '上门拍照服务单',
    outlet: '网点',
    contract: '运维合同',
    month: '维护月份',
    engineer: '维护工程师',
    date: '维护日期',
    status: '状态',
    statuses: { PLANNED: '待维护', IN_PROGRESS: '维护中', SIGNED: '已签字确认' },
    summary: '维护结果',
    summaryText: (n: { itemCount: number; ok: number; problems: number; notApplicable: number }) =>
      `共 ${n.itemCount} 项：正常 ${n.ok} 项，发现问题 ${n.problems} 项，不适用 ${n.notApplicable} 项`,
    seq: '序号',
    item: '维护内容',
    result: '结果',
    note: '问题说明',
    results: { OK: '正常', PROBLEM: '发现问题', NA: '不适用' } as Record<AnswerResult, string>,
    unanswered: '未填写',
    notes: '问题记录',
    signer: '网点工作人员',
    signature: '网点工作人员签字',
    engineerSign: '维护工程师签字',
    signedAt: '签字时间',
    dateLabel: '日期',
    page: (n: number, m: number) => `第 ${n} 页 / 共 ${m} 页`,
  },
  'en-US': {
    title: 'Outlet maintenance form',
    photoTitle: 'Photo-at-home visit form',
    outlet: 'Outlet',
    contract: 'Contract',
    month: 'Month',
    engineer: 'Engineer',
    date: 'Visit date',
    status: 'Status',
    statuses: { PLANNED: 'planned', IN_PROGRESS: 'in progress', SIGNED: 'signed off' },
    summary: 'Result',
    summaryText: (n: { itemCount: number; ok: number; problems: number; notApplicable: number }) =>
      `${n.itemCount} items: ${n.ok} OK, ${n.problems} problems found, ${n.notApplicable} not applicable`,
    seq: 'No.',
    item: 'Item',
    result: 'Result',
    note: 'Problem',
    results: { OK: 'OK', PROBLEM: 'problem found', NA: 'not applicable' } as Record<AnswerResult, string>,
    unanswered: 'not answered',
    notes: 'Problems found',
    signer: 'Outlet staff',
    signature: 'Signature of outlet staff',
    engineerSign: 'Engineer',
    signedAt: 'Signed at',
    dateLabel: 'Date',
    page: (n: number, m: number) => `Page ${n} of ${m}`,
  },
} as const;

/**
 * 《受理网点维护单》 (seed 001): the visit's checklist with each answer and note, and the outlet staff
 * member's name and drawn signature. Before sign-off it prints with empty lines to sign by hand.
 */
export async function visitFormPdf(ctx: AppContext, principal: Principal, id: string, lang: Locale): Promise<{ name: string; pdf: Buffer }> {
  const v = await visitForPrint(ctx, principal, id);
  const w = WORDS[lang];
  const heading = v.kind === 'PHOTO_AT_HOME' ? w.photoTitle : w.title;
  const doc = createPdf({ title: `${heading} ${v.siteName} ${v.month}`, lang });
  title(doc, heading);
  facts(doc, [
    [w.outlet, v.siteName],
    [w.contract, v.contractName],
    [w.month, v.month],
    [w.engineer, v.engineerName ?? ''],
    [w.date, v.signedAtLocal?.slice(0, 10) ?? ''],
    [w.status, w.statuses[v.status]],
    [w.summary, w.summaryText(v)],
  ]);
  const answers = new Map(v.answers.map((a) => [a.code, a]));
  table(
    doc,
    [
      { header: w.seq, width: 0.07, align: 'right' },
      { header: w.item, width: 0.53 },
      { header: w.result, width: 0.14, align: 'center' },
      { header: w.note, width: 0.26 },
    ],
    v.items.map((item, i) => {
      const a = answers.get(item.code);
      return [String(i + 1), lang === 'zh-CN' ? item.zh : item.en, a ? w.results[a.result] : w.unanswered, a?.note ?? ''];
    }),
  );
  // The table keeps one line per item; a note longer than its cell is printed in full below it.
  const noted = v.items.flatMap((item, i) => {
    const note = answers.get(item.code)?.note;
    return note ? [`${i + 1}. ${lang === 'zh-CN' ? item.zh : item.en}：${note}`] : [];
  });
  if (noted.length > 0) {
    doc.font('bold').text(w.notes).font('regular');
    for (const line of noted) doc.text(line, { width: doc.page.width - doc.page.margins.left - doc.page.margins.right });
    doc.moveDown(0.8);
  }
  if (v.signerName && v.signaturePng) {
    if (doc.y + 130 > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const left = doc.page.margins.left;
    doc.text(`${w.signer}：${v.signerName}`, left, doc.y);
    doc.text(`${w.signedAt}：${v.signedAtLocal ?? ''}`, left, doc.y + 2);
    doc.text(`${w.signature}：`, left, doc.y + 6);
    const y = doc.y + 4;
    doc.image(v.signaturePng, left, y, { fit: [240, 90] });
    doc.x = left;
    doc.y = y + 96;
  } else {
    signatures(doc, [w.signature, w.engineerSign], w.dateLabel);
  }
  return { name: `${v.month}-${v.id.slice(0, 8)}`, pdf: await finishPdf(doc, w.page) };
}
