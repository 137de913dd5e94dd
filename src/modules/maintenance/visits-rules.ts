import { inflateSync } from 'node:zlib';
import { AppError } from '../../platform/errors/app-error.ts';
import type { SiteService } from './schema.ts';

/**
 * Monthly preventive visits (seed 001, 网点运维工作内容): the two checklists, what a filled form must
 * hold, what counts as a drawn signature, the month plan and the visits missed at month end.
 */

export const VISIT_KINDS = ['PREVENTIVE', 'PHOTO_AT_HOME'] as const;
export type VisitKind = (typeof VISIT_KINDS)[number];

export const VISIT_STATUSES = ['PLANNED', 'IN_PROGRESS', 'SIGNED'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];

export const ANSWER_RESULTS = ['OK', 'PROBLEM', 'NA'] as const;
export type AnswerResult = (typeof ANSWER_RESULTS)[number];

export interface ChecklistItem {
  code: string;
  zh: string;
  en: string;
}

interface SeedItem extends ChecklistItem {
  services: readonly SiteService[];
}

const BOTH: readonly SiteService[] = ['SOCIAL_SECURITY_CARD', 'RESIDENCE_PERMIT'];
const SSC: readonly SiteService[] = ['SOCIAL_SECURITY_CARD'];
const RP: readonly SiteService[] = ['RESIDENCE_PERMIT'];

/**
 * The seed's two lists in one, in the seed's order. The residence-permit list's "card printer and
 * rewritable device" item is split in two so that an outlet offering both services answers the card
 * printer once: 13 items for either service alone, 14 for both. The seed's last item of each list
 * (monthly statistics) belongs to the monthly report, not to a visit.
 */
const PREVENTIVE_ITEMS: readonly SeedItem[] = [
  { code: 'HW_SW_CHECK', services: BOTH, zh: '检查软硬件（含申领和拍照采集系统）是否正常、有无故障预兆', en: 'Hardware and software (incl. application and photo capture systems) work, no signs of failure' },
  { code: 'SOFTWARE_VERSION', services: BOTH, zh: '核实使用软件版本', en: 'Software versions verified' },
  { code: 'PHOTO_QUALITY', services: BOTH, zh: '检查采集照片的质量', en: 'Quality of captured photos checked' },
  { code: 'DATA_UPLOAD', services: BOTH, zh: '检查网点信息上传情况和异常数据处理', en: 'Data upload and handling of abnormal data checked' },
  { code: 'BACKUP', services: BOTH, zh: '数据备份', en: 'Data backed up' },
  { code: 'ANTIVIRUS', services: BOTH, zh: '软件更新、病毒库更新和查毒、杀毒', en: 'Software and antivirus signatures updated, scan run' },
  { code: 'UNAUTHORISED_SOFTWARE', services: BOTH, zh: '非指定软件检查和删除', en: 'Unauthorised software checked and removed' },
  { code: 'DISK_MAINTENANCE', services: BOTH, zh: '磁盘碎片整理', en: 'Disk defragmented' },
  { code: 'CARD_PRINTER', services: BOTH, zh: '对制卡机进行维护', en: 'Card printer maintained' },
  { code: 'REWRITABLE_DEVICE', services: RP, zh: '对可擦写设备进行维护', en: 'Card rewriter maintained' },
  { code: 'IMAGE_CAPTURE', services: SSC, zh: '检查影像采集设备运行状况', en: 'Image capture devices checked' },
  { code: 'ASSETS', services: BOTH, zh: '核实网点资产', en: 'Outlet assets verified' },
  { code: 'TRAINING', services: BOTH, zh: '现场指导和培训网点操作人员', en: 'On-site guidance and training of outlet staff' },
  { code: 'SIGN_OFF', services: BOTH, zh: '维护工作结束后确保整个系统正常运行，网点工作人员签字确认', en: 'Whole system running after the visit, signed off by outlet staff' },
];

/** 上门拍照 for people who cannot come to an outlet (seed 001 duty 8). */
const PHOTO_ITEMS: readonly ChecklistItem[] = [
  { code: 'PHOTO_TAKEN', zh: '上门完成照片采集', en: 'Photo taken at home' },
  { code: 'PHOTO_QUALITY', zh: '照片质量符合制证要求', en: 'Photo meets the card photo standard' },
  { code: 'PHOTO_UPLOADED', zh: '照片已上传或交网点替代扫描处理', en: 'Photo uploaded or handed to the outlet for substitute scanning' },
  { code: 'SIGN_OFF', zh: '网点工作人员签字确认', en: 'Signed off by outlet staff' },
];

/** The items of a visit to an outlet offering these services; an outlet offering none gets the full list. */
export function checklistFor(kind: VisitKind, services: readonly SiteService[]): ChecklistItem[] {
  if (kind === 'PHOTO_AT_HOME') return PHOTO_ITEMS.map(({ code, zh, en }) => ({ code, zh, en }));
  const offered = services.length === 0 ? BOTH : services;
  return PREVENTIVE_ITEMS.filter((i) => i.services.some((s) => offered.includes(s))).map(({ code, zh, en }) => ({ code, zh, en }));
}

export interface VisitAnswer {
  code: string;
  result: AnswerResult;
  note?: string | null;
  /** A fault ticket opened for the problem found. */
  ticketId?: string | null;
}

export const NOTE_MAX = 500;

/**
 * Answers as saved: each names an item of the checklist once, a problem says what it is.
 * @throws AppError VISIT_ANSWER_INVALID {reason}
 */
export function checkAnswers(items: readonly ChecklistItem[], answers: readonly VisitAnswer[]): VisitAnswer[] {
  const codes = new Set(items.map((i) => i.code));
  const seen = new Set<string>();
  const out: VisitAnswer[] = [];
  for (const a of answers) {
    const fail = (reason: string) => new AppError('VISIT_ANSWER_INVALID', { params: { reason: `${a.code}: ${reason}` } });
    if (!codes.has(a.code)) throw fail('not an item of this checklist');
    if (seen.has(a.code)) throw fail('answered twice');
    seen.add(a.code);
    const note = a.note?.trim() || null;
    if (note && [...note].length > NOTE_MAX) throw fail(`note longer than ${NOTE_MAX} characters`);
    if (a.result === 'PROBLEM' && !note) throw fail('a problem found needs a note');
    if (a.ticketId && a.result !== 'PROBLEM') throw fail('only a problem found links a ticket');
    out.push({ code: a.code, result: a.result, note, ticketId: a.ticketId ?? null });
  }
  const order = new Map(items.map((i, n) => [i.code, n]));
  return out.sort((x, y) => order.get(x.code)! - order.get(y.code)!);
}

/** The items not answered yet, in checklist order. */
export function unansweredItems(items: readonly ChecklistItem[], answers: readonly VisitAnswer[]): string[] {
  const answered = new Set(answers.map((a) => a.code));
  return items.filter((i) => !answered.has(i.code)).map((i) => i.code);
}

// ---- the drawn signature ----

export const SIGNATURE_MAX_BYTES = 200 * 1024;
const MIN_SIDE = 50;
const MAX_SIDE = 2000;
/** Fewer drawn pixels than this is a tap or a speck, not a signature. */
export const SIGNATURE_MIN_INK = 30;

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Partial<Record<number, number>> = { 0: 1, 2: 3, 4: 2, 6: 4 };

export interface Signature {
  png: Buffer;
  width: number;
  height: number;
  inkPixels: number;
}

const invalid = (reason: string) => new AppError('VISIT_SIGNATURE_INVALID', { params: { reason } });

/** The PNG bytes of `data:image/png;base64,…` (what a canvas gives), or of plain base64. */
export function signatureBytes(value: string): Buffer {
  const m = /^data:image\/png;base64,([A-Za-z0-9+/=\s]+)$/.exec(value) ?? /^([A-Za-z0-9+/=\s]+)$/.exec(value);
  if (!m) throw invalid('not a PNG data URL');
  const bytes = Buffer.from(m[1]!, 'base64');
  if (bytes.length > SIGNATURE_MAX_BYTES) throw invalid(`larger than ${SIGNATURE_MAX_BYTES / 1024} KiB`);
  return bytes;
}

/**
 * A drawn signature: a real 8-bit, non-interlaced PNG of sensible size with enough ink on it. A blank
 * canvas exports as a valid PNG too, so the pixels are decoded and counted: ink is a pixel that is
 * neither transparent nor near white.
 * @throws AppError VISIT_SIGNATURE_INVALID {reason}, VISIT_SIGNATURE_EMPTY
 */
export function checkSignature(png: Buffer): Signature {
  if (png.length > SIGNATURE_MAX_BYTES) throw invalid(`larger than ${SIGNATURE_MAX_BYTES / 1024} KiB`);
  if (png.length < 8 + 25 || !png.subarray(0, 8).equals(PNG_MAGIC)) throw invalid('not a PNG file');
  if (png.readUInt32BE(8) !== 13 || png.toString('latin1', 12, 16) !== 'IHDR') throw invalid('the PNG has no IHDR header');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const [depth, colourType, , , interlace] = [png[24]!, png[25]!, png[26]!, png[27]!, png[28]!];
  if (width < MIN_SIDE || height < MIN_SIDE || width > MAX_SIDE || height > MAX_SIDE) throw invalid(`the image must be ${MIN_SIDE}–${MAX_SIDE} pixels on each side`);
  const channels = CHANNELS[colourType];
  if (depth !== 8 || channels === undefined || interlace !== 0) throw invalid('only 8-bit, non-interlaced grey, RGB or RGBA PNG is accepted');
  const idat: Buffer[] = [];
  let at = 8;
  let ended = false;
  while (at + 12 <= png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (at + 12 + length > png.length) break;
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
    if (type === 'IEND') {
      ended = true;
      break;
    }
  }
  if (!ended || idat.length === 0) throw invalid('the PNG is truncated');
  const stride = width * channels;
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat), { maxOutputLength: (stride + 1) * height });
  } catch {
    throw invalid('the PNG image data cannot be read');
  }
  if (raw.length !== (stride + 1) * height) throw invalid('the PNG image data has the wrong size');
  const inkPixels = countInk(unfilter(raw, stride, height, channels), width, height, channels);
  if (inkPixels < SIGNATURE_MIN_INK) throw new AppError('VISIT_SIGNATURE_EMPTY');
  return { png, width, height, inkPixels };
}

/** Undoes the per-row PNG filters (None, Sub, Up, Average, Paeth). */
function unfilter(raw: Buffer, stride: number, height: number, bpp: number): Buffer {
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    const prev = row - stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? out[row + x - bpp]! : 0;
      const b = y > 0 ? out[prev + x]! : 0;
      const c = x >= bpp && y > 0 ? out[prev + x - bpp]! : 0;
      let pred: number;
      switch (filter) {
        case 0:
          pred = 0;
          break;
        case 1:
          pred = a;
          break;
        case 2:
          pred = b;
          break;
        case 3:
          pred = (a + b) >> 1;
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default:
          throw invalid(`unknown PNG row filter ${filter}`);
      }
      out[row + x] = (raw[src + x]! + pred) & 0xff;
    }
  }
  return out;
}

const NEAR_WHITE = 224;
const VISIBLE_ALPHA = 64;

function countInk(pixels: Buffer, width: number, height: number, channels: number): number {
  let ink = 0;
  for (let i = 0; i < width * height; i++) {
    const p = i * channels;
    const alpha = channels === 2 ? pixels[p + 1]! : channels === 4 ? pixels[p + 3]! : 255;
    if (alpha < VISIBLE_ALPHA) continue;
    const dark = channels <= 2 ? pixels[p]! < NEAR_WHITE : pixels[p]! < NEAR_WHITE || pixels[p + 1]! < NEAR_WHITE || pixels[p + 2]! < NEAR_WHITE;
    if (dark) ink++;
  }
  return ink;
}

// ---- the month ----

/** @throws AppError VISIT_MONTH_INVALID {month} */
export function checkMonth(month: string): string {
  if (!/^[0-9]{4}-(0[1-9]|1[0-2])$/.test(month)) throw new AppError('VISIT_MONTH_INVALID', { params: { month } });
  return month;
}

/** First and last calendar day of a YYYY-MM month, and the first day of the next one. */
export function monthDays(month: string): { first: string; last: string; next: string } {
  const [y, m] = checkMonth(month).split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { first: `${month}-01`, last: `${month}-${String(lastDay).padStart(2, '0')}`, next };
}

export interface PlannedVisit {
  siteOrgId: string;
  engineerId: string | null;
}

/**
 * One preventive visit per outlet that has none this month yet. Engineers are dealt out in turn
 * (by outlet order, so the same inputs give the same plan); a given assignment wins.
 */
export function planMonth(input: {
  outlets: readonly string[];
  alreadyPlanned: ReadonlySet<string>;
  engineers: readonly string[];
  assignments?: ReadonlyMap<string, string>;
}): PlannedVisit[] {
  const todo = [...input.outlets].sort().filter((o) => !input.alreadyPlanned.has(o));
  const engineers = [...input.engineers].sort();
  let turn = input.alreadyPlanned.size;
  return todo.map((siteOrgId) => {
    const given = input.assignments?.get(siteOrgId);
    if (given) return { siteOrgId, engineerId: given };
    const engineerId = engineers.length === 0 ? null : engineers[turn % engineers.length]!;
    turn++;
    return { siteOrgId, engineerId };
  });
}

export interface VisitState {
  id: string;
  siteOrgId: string;
  status: VisitStatus;
  signedAt: Date | null;
}

/**
 * The preventive visits of a month that count as missed: once the month is over (now past the
 * start of the next month, `monthEnd`), every visit not signed before it.
 */
export function missedVisits<T extends VisitState>(visits: readonly T[], monthEnd: Date, now: Date): T[] {
  if (now.getTime() <= monthEnd.getTime()) return [];
  return visits.filter((v) => v.status !== 'SIGNED' || v.signedAt === null || v.signedAt.getTime() >= monthEnd.getTime());
}
