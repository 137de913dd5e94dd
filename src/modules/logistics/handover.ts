import type { Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Locale } from '../../platform/errors/app-error.ts';
import { createPdf, facts, finishPdf, signatures, table, title } from '../../platform/pdf/document.ts';
import { formatShanghai } from '../calendar/zone.ts';
import { getShipmentDetail } from './shipments.ts';

const WORDS = {
  'zh-CN': {
    title: '制卡交付交接单',
    shipmentNo: '交接单号',
    programme: '业务',
    producer: '交付方（制卡单位）',
    receiver: '接收方',
    shippedAt: '发出时间',
    carrier: '承运 / 运单号',
    cards: '卡片数量',
    receivedAt: '签收时间',
    receivedBy: '签收人',
    summary: '核对结果',
    summaryText: (s: Summary) => `应到 ${s.expected} 张，已核对 ${s.matched} 张，缺失 ${s.missing} 张，损坏 ${s.damaged} 张，清单外 ${s.unexpected} 张`,
    notReceived: '未签收：按清单逐张核对后在"核对"栏打勾',
    seq: '序号',
    cardNo: '卡号',
    check: '核对',
    matched: '已核对',
    damaged: '损坏',
    missing: '缺失',
    handedOver: '交付方签字',
    takenOver: '接收方签字',
    date: '日期',
    page: (n: number, m: number) => `第 ${n} 页 / 共 ${m} 页`,
  },
  'en-US': {
    title: 'Card delivery handover sheet',
    shipmentNo: 'Shipment no.',
    programme: 'Programme',
    producer: 'Delivered by (producer)',
    receiver: 'Received by',
    shippedAt: 'Shipped at',
    carrier: 'Carrier / tracking no.',
    cards: 'Cards',
    receivedAt: 'Received at',
    receivedBy: 'Signed for by',
    summary: 'Check result',
    summaryText: (s: Summary) => `expected ${s.expected}, checked ${s.matched}, missing ${s.missing}, damaged ${s.damaged}, not on the list ${s.unexpected}`,
    notReceived: 'Not yet received: check each card against the list and tick the "Check" column',
    seq: 'No.',
    cardNo: 'Card number',
    check: 'Check',
    matched: 'checked',
    damaged: 'damaged',
    missing: 'missing',
    handedOver: 'Handed over by',
    takenOver: 'Taken over by',
    date: 'Date',
    page: (n: number, m: number) => `Page ${n} of ${m}`,
  },
} as const;

interface Summary {
  expected: number;
  matched: number;
  missing: number;
  damaged: number;
  unexpected: number;
}

/**
 * The paper that travels with a parcel: what the producer hands over, card by card, with lines for
 * both sides to sign. Before receipt the check column is empty for ticking by hand; after receipt it
 * shows what the scans found. Card numbers only: no personal data is printed.
 */
export async function handoverSheet(ctx: AppContext, principal: Principal, id: string, lang: Locale): Promise<{ shipmentNo: string; pdf: Buffer }> {
  const s = await getShipmentDetail(ctx, principal, id);
  const w = WORDS[lang];
  const received = s.status === 'RECEIVED';
  const doc = createPdf({ title: `${w.title} ${s.shipmentNo}`, lang });
  title(doc, w.title);
  facts(doc, [
    [w.shipmentNo, s.shipmentNo],
    [w.programme, s.programmeName],
    [w.producer, s.producerName],
    [w.receiver, s.receiverName],
    [w.shippedAt, formatShanghai(new Date(s.shippedAt))],
    [w.carrier, [s.carrier, s.trackingNo].filter(Boolean).join(' / ')],
    [w.cards, String(s.cardCount)],
    [w.receivedAt, s.receivedAt ? formatShanghai(new Date(s.receivedAt)) : ''],
    [w.receivedBy, s.receivedByName ?? ''],
    [w.summary, received ? w.summaryText(s.summary) : w.notReceived],
  ]);
  const check = (item: (typeof s.items)[number]) => (!received ? '□' : item.damaged ? w.damaged : item.scanned ? w.matched : w.missing);
  table(
    doc,
    [
      { header: w.seq, width: 0.12, align: 'right' },
      { header: w.cardNo, width: 0.58 },
      { header: w.check, width: 0.3, align: 'center' },
    ],
    s.items.map((item, i) => [String(i + 1), item.cardNo, check(item)]),
  );
  signatures(doc, [w.handedOver, w.takenOver], w.date);
  return { shipmentNo: s.shipmentNo, pdf: await finishPdf(doc, w.page) };
}
