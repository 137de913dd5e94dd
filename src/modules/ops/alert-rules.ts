import { shanghaiDate } from '../calendar/zone.ts';

export const ALERT_CODES = ['QUEUE_STUCK', 'BACKUP_MISSED', 'SLA_OVERDUE', 'SMS_HELD', 'CALENDAR_NEXT_YEAR_MISSING', 'KEY_OLD', 'DISK_LOW', 'MAINTENANCE_STAFFING'] as const;
export type AlertCode = (typeof ALERT_CODES)[number];

export interface Alert {
  code: AlertCode;
  /** critical: something is already failing or data is at risk; warning: needs attention this working day. */
  severity: 'critical' | 'warning';
  message: { zh: string; en: string };
  /** When the condition started, where the figures tell (null otherwise). */
  since: string | null;
}

export interface DiskFigure {
  name: string;
  freeBytes: number;
  totalBytes: number;
}

/** The figures the rules look at: read by status.ts, judged here without any I/O. */
export interface AlertInputs {
  now: Date;
  uptimeSeconds: number;
  oldestQueuedSmsAt: Date | null;
  /** Queued messages behind a submit of unknown outcome, waiting for an operator's decision. */
  smsInDoubt: number;
  backupIntervalHours: number;
  lastBackupAt: Date | null;
  cardsOverdue: number;
  maintenanceBreaches24h: number;
  /** Maintenance contracts whose minimum staffing is not met today. */
  maintenanceUnderstaffed: number;
  /** On-site posts with a shift running now that nobody is rostered to. */
  maintenancePostsUncovered: number;
  smsHeld: number;
  nextYearPublished: boolean;
  activeKeyCreatedAt: Date;
  disks: DiskFigure[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const QUEUE_STUCK_AFTER_MS = 10 * MINUTE;
/** A backup may run late by this much (a long dump, a restart) before anyone is woken. */
export const BACKUP_GRACE_MS = 2 * HOUR;
/** Without any backup yet, a fresh install gets this long before the alert. */
export const FIRST_BACKUP_GRACE_MS = HOUR;
export const KEY_MAX_AGE_DAYS = 365;
export const DISK_LOW_FRACTION = 0.1;
/** November: the State Council usually publishes next year's holidays in October or November. */
export const CALENDAR_DUE_MONTH = 11;

const iso = (ms: number) => new Date(ms).toISOString();

function queueStuck(i: AlertInputs): Alert | null {
  if (!i.oldestQueuedSmsAt || i.now.getTime() - i.oldestQueuedSmsAt.getTime() <= QUEUE_STUCK_AFTER_MS) return null;
  const minutes = Math.floor((i.now.getTime() - i.oldestQueuedSmsAt.getTime()) / MINUTE);
  return {
    code: 'QUEUE_STUCK',
    severity: 'critical',
    message:
      i.smsInDoubt > 0
        ? {
            zh: `短信队列停滞：最早的排队短信已等待 ${minutes} 分钟；其中 ${i.smsInDoubt} 条待核实（网关未应答），请在“短信记录”勾选“仅看待核实”逐条处理`,
            en: `SMS queue stuck: the oldest queued message has waited ${minutes} minutes; ${i.smsInDoubt} are in doubt (the gateway never answered): tick "In doubt only" in SMS messages and decide each`,
          }
        : { zh: `短信队列停滞：最早的排队短信已等待 ${minutes} 分钟`, en: `SMS queue stuck: the oldest queued message has waited ${minutes} minutes` },
    since: iso(i.oldestQueuedSmsAt.getTime() + QUEUE_STUCK_AFTER_MS),
  };
}

function backupMissed(i: AlertInputs): Alert | null {
  if (i.backupIntervalHours <= 0) return null;
  const now = i.now.getTime();
  if (i.lastBackupAt === null) {
    if (i.uptimeSeconds * 1000 <= FIRST_BACKUP_GRACE_MS) return null;
    return { code: 'BACKUP_MISSED', severity: 'critical', message: { zh: '尚无成功的备份', en: 'No backup has succeeded yet' }, since: null };
  }
  const dueBy = i.lastBackupAt.getTime() + i.backupIntervalHours * HOUR + BACKUP_GRACE_MS;
  if (now <= dueBy) return null;
  const hours = Math.floor((now - i.lastBackupAt.getTime()) / HOUR);
  return {
    code: 'BACKUP_MISSED',
    severity: 'critical',
    message: { zh: `备份未按时完成：最近一次成功备份在 ${hours} 小时前`, en: `Backup missed: the last successful backup was ${hours} hours ago` },
    since: iso(dueBy),
  };
}

function slaOverdue(i: AlertInputs): Alert | null {
  if (i.cardsOverdue <= 0 && i.maintenanceBreaches24h <= 0) return null;
  return {
    code: 'SLA_OVERDUE',
    severity: 'warning',
    message: {
      zh: `时限超期：${i.cardsOverdue} 张卡超过制卡或配送时限，24 小时内运维违约 ${i.maintenanceBreaches24h} 次`,
      en: `Deadlines missed: ${i.cardsOverdue} cards past their production or delivery deadline, ${i.maintenanceBreaches24h} maintenance breaches in 24 hours`,
    },
    since: null,
  };
}

function smsHeld(i: AlertInputs): Alert | null {
  if (i.smsHeld <= 0) return null;
  return {
    code: 'SMS_HELD',
    severity: 'warning',
    message: { zh: `${i.smsHeld} 条短信因敏感词待审核`, en: `${i.smsHeld} SMS held for sensitive-word review` },
    since: null,
  };
}

function calendarMissing(i: AlertInputs): Alert | null {
  const today = shanghaiDate(i.now);
  if (i.nextYearPublished || Number(today.slice(5, 7)) < CALENDAR_DUE_MONTH) return null;
  const next = Number(today.slice(0, 4)) + 1;
  return {
    code: 'CALENDAR_NEXT_YEAR_MISSING',
    severity: 'warning',
    message: { zh: `${next} 年工作日历尚未发布，跨年的办理时限将无法计算`, en: `The ${next} working calendar is not published; deadlines reaching into it cannot be computed` },
    since: null,
  };
}

function keyOld(i: AlertInputs): Alert | null {
  const oldAt = i.activeKeyCreatedAt.getTime() + KEY_MAX_AGE_DAYS * DAY;
  if (i.now.getTime() <= oldAt) return null;
  const days = Math.floor((i.now.getTime() - i.activeKeyCreatedAt.getTime()) / DAY);
  return {
    code: 'KEY_OLD',
    severity: 'warning',
    message: { zh: `当前数据密钥已使用 ${days} 天，请轮换密钥`, en: `The active data key is ${days} days old; rotate the keys` },
    since: iso(oldAt),
  };
}

function diskLow(i: AlertInputs): Alert | null {
  const low = i.disks.filter((d) => d.totalBytes > 0 && d.freeBytes / d.totalBytes < DISK_LOW_FRACTION);
  if (low.length === 0) return null;
  const names = low.map((d) => `${d.name} ${Math.floor((d.freeBytes / d.totalBytes) * 100)}%`).join(', ');
  return {
    code: 'DISK_LOW',
    severity: 'critical',
    message: { zh: `磁盘空间不足（剩余 ${names}）`, en: `Disk space low (free: ${names})` },
    since: null,
  };
}

function maintenanceStaffing(i: AlertInputs): Alert | null {
  if (i.maintenanceUnderstaffed <= 0 && i.maintenancePostsUncovered <= 0) return null;
  return {
    code: 'MAINTENANCE_STAFFING',
    severity: 'warning',
    message: {
      zh: `运维人员不足：${i.maintenanceUnderstaffed} 个合同未达到最低人员配置，${i.maintenancePostsUncovered} 个驻场岗位当前班次无人排班`,
      en: `Maintenance staffing: ${i.maintenanceUnderstaffed} contracts below their minimum staffing, ${i.maintenancePostsUncovered} on-site posts with nobody rostered to the current shift`,
    },
    since: null,
  };
}

const RULES = [queueStuck, backupMissed, slaOverdue, smsHeld, calendarMissing, keyOld, diskLow, maintenanceStaffing];

/** Every alert the figures call for, most urgent first. */
export function evaluateAlerts(inputs: AlertInputs): Alert[] {
  const alerts = RULES.map((rule) => rule(inputs)).filter((a): a is Alert => a !== null);
  return [...alerts.filter((a) => a.severity === 'critical'), ...alerts.filter((a) => a.severity === 'warning')];
}
