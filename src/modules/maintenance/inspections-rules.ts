import { AppError } from '../../platform/errors/app-error.ts';
import { addDaysToDate, isValidDate } from '../calendar/zone.ts';
import { checkAnswers, type ChecklistItem, type VisitAnswer } from './visits-rules.ts';

/**
 * Daily inspections of the core system (seed 002: 每天开展定期巡检 … 形成巡检工作记录, 机房巡检): the
 * inspection list, what a round's answers must hold, and which days of a period have no round.
 */

export const INSPECTION_STATUSES = ['OPEN', 'SIGNED'] as const;
export type InspectionStatus = (typeof INSPECTION_STATUSES)[number];

export interface InspectionItem extends ChecklistItem {
  /** What is inspected (机房, 服务器 …): groups the record and names the category of a ticket raised from it. */
  category: string;
}

/**
 * Seed 002's objects of operation and maintenance as a daily list: the server room, the hardware of
 * the equipment list (附件 1), base and application software with its monitoring, data backup, data
 * exchange, security services, the government-network and internet links, SMS, device availability and
 * the equipment ledger kept up to date at each inspection.
 */
export const SEED_INSPECTION_ITEMS: readonly InspectionItem[] = [
  { code: 'ROOM_ENVIRONMENT', category: '机房', zh: '机房环境：温湿度、供电与 UPS、空调、消防、门禁正常', en: 'Server room: temperature and humidity, power and UPS, air conditioning, fire protection, access control' },
  { code: 'SERVERS', category: '服务器', zh: '服务器运行状态：指示灯、CPU、内存、硬盘无告警', en: 'Servers: indicator lights, CPU, memory, disks without alarms' },
  { code: 'STORAGE', category: '存储', zh: '存储设备：磁盘阵列状态、容量使用率', en: 'Storage: disk array state and capacity used' },
  { code: 'NETWORK_DEVICES', category: '网络', zh: '网络设备：交换机、路由器、防火墙运行状态', en: 'Network devices: switches, routers, firewalls running' },
  { code: 'GOV_NETWORK_LINK', category: '网络', zh: '政务网链路（不低于 100M）连通与带宽', en: 'Government network link (at least 100 Mbit/s) up, bandwidth' },
  { code: 'INTERNET_LINK', category: '网络', zh: '互联网链路（不低于 50M）连通与带宽', en: 'Internet link (at least 50 Mbit/s) up, bandwidth' },
  { code: 'SYSTEM_SOFTWARE', category: '基础软件', zh: '操作系统与中间件运行状态、系统日志', en: 'Operating systems and middleware running, system logs' },
  { code: 'DATABASE', category: '数据库', zh: '数据库运行状态：实例、表空间、会话、错误日志', en: 'Database: instances, tablespaces, sessions, error log' },
  { code: 'APPLICATION', category: '应用系统', zh: '居住证信息系统应用服务运行监测（受理、查询、制证接口）', en: 'Residence permit system services monitored (application, query, production interfaces)' },
  { code: 'DATA_EXCHANGE', category: '数据管理', zh: '局内外数据共享交换任务运行情况', en: 'Data sharing and exchange jobs inside and outside the bureau' },
  { code: 'BACKUP', category: '备份', zh: '系统数据与业务数据备份完成，备份介质完好', en: 'System and business data backups complete, backup media sound' },
  { code: 'SECURITY', category: '安全', zh: '安全设备与策略：告警、漏洞扫描、弱口令检查', en: 'Security devices and policies: alarms, vulnerability scans, weak passwords' },
  { code: 'SMS_SERVICE', category: '短信', zh: '短信服务发送情况正常', en: 'SMS service sending normally' },
  { code: 'DEVICE_ONLINE', category: '设备', zh: '设备在线情况统计', en: 'Devices online counted' },
  { code: 'LEDGER', category: '台帐', zh: '设备台帐和技术台帐已按巡检情况更新', en: 'Equipment and technical ledgers updated from the inspection' },
];

const CODE = /^[A-Z][A-Z0-9_]{0,39}$/;
export const INSPECTION_ITEMS_MAX = 60;

/** Problems of an inspection list a contract sets for itself. */
export function templateProblems(items: readonly InspectionItem[]): string[] {
  const problems: string[] = [];
  if (items.length === 0) problems.push('the list needs at least one item');
  if (items.length > INSPECTION_ITEMS_MAX) problems.push(`at most ${INSPECTION_ITEMS_MAX} items`);
  const seen = new Set<string>();
  for (const i of items) {
    if (!CODE.test(i.code)) problems.push(`${i.code}: a code is 1–40 capital letters, digits or _`);
    if (seen.has(i.code)) problems.push(`${i.code} appears twice`);
    seen.add(i.code);
    if (i.category.trim() === '' || [...i.category].length > 20) problems.push(`${i.code}: the category needs 1–20 characters`);
    if (i.zh.trim() === '' || [...i.zh].length > 200 || i.en.trim() === '' || [...i.en].length > 200) problems.push(`${i.code}: both texts need 1–200 characters`);
  }
  return problems;
}

/**
 * The answers of a round as saved: the same rules as a visit's checklist (each item once, a problem
 * with a note, a ticket only on a problem), under the inspection's own error code.
 * @throws AppError INSPECTION_ANSWER_INVALID {reason}
 */
export function checkRoundAnswers(items: readonly InspectionItem[], answers: readonly VisitAnswer[]): VisitAnswer[] {
  try {
    return checkAnswers(items, answers);
  } catch (error) {
    if (error instanceof AppError && error.code === 'VISIT_ANSWER_INVALID') throw new AppError('INSPECTION_ANSWER_INVALID', { params: error.params });
    throw error;
  }
}

/** Whether two sets of answers say the same (a repeated save after signing is no change). */
export function sameAnswers(a: readonly VisitAnswer[], b: readonly VisitAnswer[]): boolean {
  const key = (x: VisitAnswer) => `${x.code}|${x.result}|${x.note?.trim() || ''}`;
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.length === right.length && left.every((k, i) => k === right[i]);
}

export const INSPECTION_RANGE_MAX_DAYS = 92;

/** @throws AppError INSPECTION_RANGE_INVALID {reason} */
export function checkRange(from: string, to: string): void {
  const fail = (reason: string) => new AppError('INSPECTION_RANGE_INVALID', { params: { reason } });
  if (!isValidDate(from) || !isValidDate(to)) throw fail('from and to must be real YYYY-MM-DD dates');
  if (to < from) throw fail('to is before from');
  if (addDaysToDate(from, INSPECTION_RANGE_MAX_DAYS - 1) < to) throw fail(`at most ${INSPECTION_RANGE_MAX_DAYS} days at once`);
}

export type DayState = InspectionStatus | 'DUE' | 'MISSING';

/**
 * Each day of [from, to] a site owed a round (inside the contract term, not after today), with the
 * state of its round: SIGNED, OPEN (begun, not signed), or without one DUE (today, still time) or
 * MISSING (a day gone by).
 */
export function inspectionDays(input: { from: string; to: string; termStart: string; termEnd: string; today: string; rounds: ReadonlyMap<string, InspectionStatus> }): { day: string; state: DayState }[] {
  const first = input.from > input.termStart ? input.from : input.termStart;
  const lastDue = [input.to, input.termEnd, input.today].sort()[0]!;
  const out: { day: string; state: DayState }[] = [];
  for (let day = first; day <= lastDue; day = addDaysToDate(day, 1)) out.push({ day, state: input.rounds.get(day) ?? (day === input.today ? 'DUE' : 'MISSING') });
  return out;
}
