import { Alert, Card, Progress, Space, Tag, Typography } from 'antd';
import { requestRaw } from '../../api/client.ts';
import { isMessageKey, useT, type TFunction } from '../../i18n/index.tsx';

/** Shapes of the maintenance API answers (/api/v1/maintenance/...). */
export interface Clock {
  allowedMinutes: number;
  usedMinutes: number;
  leftMinutes: number;
  percent: number;
  deadline: string | null;
  deadlineLocal: string | null;
  stoppedAt: string | null;
  paused: boolean;
  breached: boolean;
  state: 'RUNNING' | 'WARNING' | 'PAUSED' | 'MET' | 'BREACHED';
  deadlineError: { code: string; message: string } | null;
}

export interface Ticket {
  id: string;
  ticketNo: string;
  siteOrgId: string;
  siteName: string;
  assetId: string | null;
  assetSerial: string | null;
  assetType: string | null;
  category: string;
  description: string;
  channel: string;
  zone: string;
  status: string;
  openedAt: string;
  openedAtLocal: string;
  sla: { clock: string; responseTarget: string; responseMinutes: number; fixMinutes: number | null; warnPercent: number; openingHours: string };
  clocks: { response: Clock | null; fix: Clock | null; error: { code: string; message: string } | null };
  asOf: string;
}

export interface TicketDetail extends Ticket {
  events: { seq: number; action: string; toStatus: string; atLocal: string; waitingReason: string | null; note: string | null; actorName: string }[];
  actions: string[];
}

export interface Site {
  orgId: string;
  name: string;
  zone: string | null;
  openingHours: string;
}

export interface Asset {
  id: string;
  siteOrgId: string;
  siteName: string;
  type: string;
  serial: string;
  model: string;
  status: string;
  samCardNo: string | null;
  purchaseDate: string | null;
  warrantyUntil: string | null;
}

/** A translated label, or the code itself when the console has no text for it. */
export function useLabel() {
  const t = useT();
  return (key: string) => (isMessageKey(key) ? t(key) : (key.split('.').pop() ?? key));
}

const STATUS_COLORS: Record<string, string> = { NEW: 'red', ACKNOWLEDGED: 'orange', ON_SITE: 'processing', WAITING: 'default', RESOLVED: 'success', CLOSED: 'default' };
const CLOCK_COLORS: Record<Clock['state'], string> = { RUNNING: 'processing', WARNING: 'warning', PAUSED: 'default', MET: 'success', BREACHED: 'error' };

export function TicketStatusTag({ status }: { status: string }) {
  const label = useLabel();
  return (
    <Tag color={STATUS_COLORS[status] ?? 'default'} data-status={status} data-testid="ticket-status-tag">
      {label(`maint.ticket.status.${status}`)}
    </Tag>
  );
}

export function ClockStateTag({ clock }: { clock: Clock }) {
  const t = useT();
  return (
    <Tag color={CLOCK_COLORS[clock.state]} data-state={clock.state} data-testid="clock-state-tag">
      {t(`maint.clock.state.${clock.state}`)}
    </Tag>
  );
}

export function duration(t: TFunction, minutes: number): string {
  const m = Math.abs(Math.round(minutes));
  return t('maint.clock.minutes', { h: Math.floor(m / 60), m: m % 60 });
}

/** One SLA clock: time used and left against the allowance, the deadline, and why it is missing. */
export function ClockCard({ kind, clock }: { kind: 'RESPONSE' | 'FIX'; clock: Clock }) {
  const t = useT();
  const status = clock.state === 'BREACHED' ? 'exception' : clock.state === 'MET' ? 'success' : clock.state === 'WARNING' ? 'normal' : 'active';
  return (
    <Card size="small" title={t(`maint.clock.${kind}`)} extra={<ClockStateTag clock={clock} />} data-testid={`clock-${kind}`} data-state={clock.state}>
      <Progress
        percent={Math.min(100, clock.percent)}
        status={status}
        strokeColor={clock.state === 'WARNING' ? '#faad14' : undefined}
        format={() => `${clock.percent}%`}
      />
      <Space orientation="vertical" size={2} style={{ width: '100%' }}>
        <Typography.Text data-testid={`clock-${kind}-used`}>{t('maint.clock.used', { used: duration(t, clock.usedMinutes) })}</Typography.Text>
        <Typography.Text type={clock.leftMinutes < 0 ? 'danger' : undefined} data-testid={`clock-${kind}-left`}>
          {clock.leftMinutes < 0 ? t('maint.clock.over', { over: duration(t, -clock.leftMinutes) }) : t('maint.clock.left', { left: duration(t, clock.leftMinutes) })}
        </Typography.Text>
        {clock.deadlineLocal && <Typography.Text strong data-testid={`clock-${kind}-deadline`}>{t('maint.clock.deadline', { deadline: clock.deadlineLocal })}</Typography.Text>}
        {clock.paused && <Typography.Text type="secondary">{t('maint.clock.pausedHint')}</Typography.Text>}
        {clock.deadlineError && <Alert type="error" showIcon title={clock.deadlineError.message} data-testid={`clock-${kind}-error`} />}
      </Space>
    </Card>
  );
}

/** Downloads a file from the API with the session cookie and hands it to the browser. */
export async function download(path: string, query: Record<string, string>, filename: string): Promise<void> {
  const res = await requestRaw('GET', path, { query });
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
