import { describe, expect, it } from 'vitest';
import { evaluateAlerts, type AlertInputs } from './alert-rules.ts';

const NOW = new Date('2026-06-15T04:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Healthy figures: no rule fires. */
function healthy(over: Partial<AlertInputs> = {}): AlertInputs {
  return {
    now: NOW,
    uptimeSeconds: 86_400,
    oldestQueuedSmsAt: null,
    smsInDoubt: 0,
    backupIntervalHours: 24,
    lastBackupAt: new Date(NOW.getTime() - HOUR),
    cardsOverdue: 0,
    maintenanceBreaches24h: 0,
    maintenanceUnderstaffed: 0,
    maintenancePostsUncovered: 0,
    smsHeld: 0,
    nextYearPublished: false,
    activeKeyCreatedAt: new Date(NOW.getTime() - 10 * DAY),
    disks: [{ name: 'data', freeBytes: 50, totalBytes: 100 }],
    ...over,
  };
}

const codes = (over: Partial<AlertInputs>) => evaluateAlerts(healthy(over)).map((a) => a.code);

describe('alert rules', () => {
  it('raise nothing on healthy figures', () => {
    expect(evaluateAlerts(healthy())).toEqual([]);
  });

  it('QUEUE_STUCK once the oldest queued SMS is more than 10 minutes old', () => {
    expect(codes({ oldestQueuedSmsAt: new Date(NOW.getTime() - 10 * MIN) })).toEqual([]);
    const [alert] = evaluateAlerts(healthy({ oldestQueuedSmsAt: new Date(NOW.getTime() - 10 * MIN - 1000) }));
    expect(alert).toMatchObject({ code: 'QUEUE_STUCK', severity: 'critical', since: new Date(NOW.getTime() - 1000).toISOString() });
    expect(alert!.message.zh).toContain('10 分钟');
    expect(alert!.message.zh).not.toContain('待核实');
    const [withDoubt] = evaluateAlerts(healthy({ oldestQueuedSmsAt: new Date(NOW.getTime() - HOUR), smsInDoubt: 3 }));
    expect(withDoubt!.message.zh).toContain('3 条待核实');
    expect(withDoubt!.message.en).toContain('3 are in doubt');
  });

  it('BACKUP_MISSED after interval + 2 h, never when scheduling is off', () => {
    expect(codes({ lastBackupAt: new Date(NOW.getTime() - 26 * HOUR) })).toEqual([]);
    expect(codes({ lastBackupAt: new Date(NOW.getTime() - 26 * HOUR - 1000) })).toEqual(['BACKUP_MISSED']);
    expect(codes({ backupIntervalHours: 0, lastBackupAt: null })).toEqual([]);
  });

  it('BACKUP_MISSED without any backup only after one hour of uptime', () => {
    expect(codes({ lastBackupAt: null, uptimeSeconds: 3600 })).toEqual([]);
    expect(codes({ lastBackupAt: null, uptimeSeconds: 3601 })).toEqual(['BACKUP_MISSED']);
  });

  it('SLA_OVERDUE on overdue cards or maintenance breaches', () => {
    expect(codes({ cardsOverdue: 1 })).toEqual(['SLA_OVERDUE']);
    expect(codes({ maintenanceBreaches24h: 2 })).toEqual(['SLA_OVERDUE']);
    expect(evaluateAlerts(healthy({ cardsOverdue: 3, maintenanceBreaches24h: 2 }))[0]!.message.en).toContain('3 cards');
  });

  it('MAINTENANCE_STAFFING when a contract is below its minimum staffing or a post has nobody rostered now', () => {
    expect(codes({ maintenanceUnderstaffed: 1 })).toEqual(['MAINTENANCE_STAFFING']);
    expect(codes({ maintenancePostsUncovered: 2 })).toEqual(['MAINTENANCE_STAFFING']);
    expect(evaluateAlerts(healthy({ maintenanceUnderstaffed: 1, maintenancePostsUncovered: 2 }))[0]!.message.zh).toContain('1 个合同未达到最低人员配置');
  });

  it('SMS_HELD when any message waits for sensitive-word review', () => {
    expect(codes({ smsHeld: 0 })).toEqual([]);
    expect(codes({ smsHeld: 1 })).toEqual(['SMS_HELD']);
  });

  it('CALENDAR_NEXT_YEAR_MISSING from November (Shanghai time) while next year is unpublished', () => {
    expect(codes({ now: new Date('2026-10-31T15:59:59Z'), lastBackupAt: new Date('2026-10-31T15:00:00Z') })).toEqual([]);
    const nov = new Date('2026-10-31T16:00:00Z');
    const [alert] = evaluateAlerts(healthy({ now: nov, lastBackupAt: nov }));
    expect(alert).toMatchObject({ code: 'CALENDAR_NEXT_YEAR_MISSING' });
    expect(alert!.message.zh).toContain('2027');
    expect(codes({ now: nov, lastBackupAt: nov, nextYearPublished: true })).toEqual([]);
  });

  it('KEY_OLD when the active data key is older than 365 days', () => {
    expect(codes({ activeKeyCreatedAt: new Date(NOW.getTime() - 365 * DAY) })).toEqual([]);
    expect(codes({ activeKeyCreatedAt: new Date(NOW.getTime() - 365 * DAY - 1000) })).toEqual(['KEY_OLD']);
  });

  it('DISK_LOW below 10 % free on any disk', () => {
    expect(codes({ disks: [{ name: 'data', freeBytes: 10, totalBytes: 100 }] })).toEqual([]);
    const [alert] = evaluateAlerts(healthy({ disks: [{ name: 'data', freeBytes: 50, totalBytes: 100 }, { name: 'backup', freeBytes: 9, totalBytes: 100 }] }));
    expect(alert).toMatchObject({ code: 'DISK_LOW', severity: 'critical' });
    expect(alert!.message.en).toContain('backup 9%');
  });

  it('lists critical alerts before warnings', () => {
    expect(codes({ smsHeld: 1, oldestQueuedSmsAt: new Date(NOW.getTime() - HOUR) })).toEqual(['QUEUE_STUCK', 'SMS_HELD']);
    expect(codes({ smsHeld: 1, disks: [{ name: 'data', freeBytes: 1, totalBytes: 100 }] })).toEqual(['DISK_LOW', 'SMS_HELD']);
  });
});
