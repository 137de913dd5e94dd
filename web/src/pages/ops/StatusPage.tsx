import { useEffect, type ReactNode } from 'react';
import { Alert, Button, Card, Col, Descriptions, Empty, Progress, Row, Space, Table, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { api } from '../../api/client.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useLocale, useT, type TFunction } from '../../i18n/index.tsx';

interface StatusAlert {
  code: string;
  severity: 'critical' | 'warning';
  message: { zh: string; en: string };
  since: string | null;
}
interface Disk {
  name: string;
  path: string;
  freeBytes: number;
  totalBytes: number;
  error: string | null;
}
interface SystemStatus {
  checkedAt: string;
  service: { engine: string; version: string; migrationsApplied: number; migrationsComplete: boolean; uptimeSeconds: number; nodeVersion: string };
  queues: { noticesPending: number; sms: { byStatus: Record<string, number>; inDoubt: number; oldestQueuedAt: string | null; oldestQueuedAgeSeconds: number | null } };
  jobs: { job: string; ok: number; failed: number }[];
  backup: { intervalHours: number; lastSuccessAt: string | null; lastSuccessBytes: number | null; lastSuccessAgeSeconds: number | null; lastFailureAt: string | null; lastFailureError: string | null };
  retention: { intervalHours: number; lastRunAt: string | null; lastRunDryRun: boolean | null; lastRunCounts: Record<string, number> | null; lastFailureAt: string | null; lastFailureError: string | null };
  sla: { productionAtRisk: number; productionOverdue: number; deliveryAtRisk: number; deliveryOverdue: number; maintenanceBreaches24h: number };
  calendar: { year: number; published: boolean }[];
  keys: { activeKeyId: string; activeKeyAgeDays: number; keyCount: number; blindIndexKey: boolean };
  disks: Disk[];
  alerts: StatusAlert[];
}

const REFRESH_MS = 30_000;
const SMS_STATUSES = ['QUEUED', 'HELD', 'SUBMITTED', 'DELIVERED', 'FAILED', 'EXPIRED', 'BLOCKED'];

/** Shanghai wall-clock time of an instant, as operators read every other time in the console. */
function local(iso: string): string {
  return new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai', hour12: false }).slice(0, 16);
}

function age(t: TFunction, seconds: number): string {
  if (seconds < 120) return t('ops.ago.seconds', { n: seconds });
  if (seconds < 7200) return t('ops.ago.minutes', { n: Math.floor(seconds / 60) });
  if (seconds < 172_800) return t('ops.ago.hours', { n: Math.floor(seconds / 3600) });
  return t('ops.ago.days', { n: Math.floor(seconds / 86_400) });
}

function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

function Section({ title, testId, children }: { title: ReactNode; testId: string; children: ReactNode }) {
  return (
    <Col xs={24} md={12} xl={8}>
      <Card title={title} size="small" data-testid={testId} style={{ height: '100%' }}>
        {children}
      </Card>
    </Col>
  );
}

function DiskLine({ disk }: { disk: Disk }) {
  const t = useT();
  const name = disk.name === 'data' ? t('ops.disk.data') : t('ops.disk.backup');
  if (disk.error) {
    return (
      <div style={{ marginBottom: 12 }}>
        <Typography.Text strong>{name}</Typography.Text> <Typography.Text type="warning">{t('ops.disk.unreadable', { error: disk.error })}</Typography.Text>
      </div>
    );
  }
  const freePct = disk.totalBytes > 0 ? Math.round((disk.freeBytes / disk.totalBytes) * 100) : 0;
  return (
    <div style={{ marginBottom: 12 }}>
      <Typography.Text strong>{name}</Typography.Text>{' '}
      <Typography.Text type="secondary" style={{ wordBreak: 'break-all' }}>
        {disk.path}
      </Typography.Text>
      <Progress percent={100 - freePct} status={freePct < 10 ? 'exception' : 'normal'} showInfo={false} />
      <Typography.Text>{t('ops.disk.free', { free: bytes(disk.freeBytes), total: bytes(disk.totalBytes) })}</Typography.Text>
    </div>
  );
}

/** 系统状态: alerts first, then one card per area; reloads itself every 30 seconds. */
export default function StatusPage() {
  const t = useT();
  const [locale] = useLocale();
  const { data, loading, reload } = useLoad((signal) => api.get<SystemStatus>('/ops/status', undefined, { signal }), []);

  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const s = data;
  return (
    <div data-testid="page-ops-status">
      <PageHeader title={t('ops.menu.status')} hint={s ? t('ops.refreshed', { at: local(s.checkedAt) }) : undefined}>
        <Button icon={<ReloadOutlined />} loading={loading} onClick={reload} data-testid="ops-refresh">
          {t('ops.refresh')}
        </Button>
      </PageHeader>
      {s && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <div data-testid="ops-alerts">
            {s.alerts.length === 0 ? (
              <Alert type="success" showIcon title={t('ops.noAlerts')} />
            ) : (
              <Space orientation="vertical" style={{ width: '100%' }}>
                {s.alerts.map((a) => (
                  <Alert
                    key={a.code}
                    data-testid={`ops-alert-${a.code}`}
                    type={a.severity === 'critical' ? 'error' : 'warning'}
                    showIcon
                    title={locale === 'zh-CN' ? a.message.zh : a.message.en}
                    description={a.since ? t('ops.since', { at: local(a.since) }) : undefined}
                  />
                ))}
              </Space>
            )}
          </div>
          <Row gutter={[16, 16]}>
            <Section title={t('ops.service')} testId="ops-service">
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('ops.service.engine')}>
                  {s.service.engine} {s.service.version}
                </Descriptions.Item>
                <Descriptions.Item label={t('ops.service.migrations')}>
                  {s.service.migrationsComplete ? (
                    <Tag color="green">{t('ops.service.migrationsOk', { n: s.service.migrationsApplied })}</Tag>
                  ) : (
                    <Tag color="red">{t('ops.service.migrationsPending', { n: s.service.migrationsApplied })}</Tag>
                  )}
                </Descriptions.Item>
                <Descriptions.Item label={t('ops.service.uptime')}>{age(t, s.service.uptimeSeconds)}</Descriptions.Item>
                <Descriptions.Item label={t('ops.service.node')}>{s.service.nodeVersion}</Descriptions.Item>
              </Descriptions>
            </Section>
            <Section title={t('ops.queues')} testId="ops-queues">
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('ops.queues.notices')}>{s.queues.noticesPending}</Descriptions.Item>
                <Descriptions.Item label={t('ops.queues.oldest')}>{s.queues.sms.oldestQueuedAgeSeconds === null ? t('ops.queues.none') : age(t, s.queues.sms.oldestQueuedAgeSeconds)}</Descriptions.Item>
                <Descriptions.Item label={t('ops.queues.inDoubt')}>
                  <span data-testid="ops-sms-in-doubt">
                    {s.queues.sms.inDoubt > 0 ? <Link to="/sms/messages?inDoubt=1">{t('ops.queues.inDoubtOpen', { n: s.queues.sms.inDoubt })}</Link> : 0}
                  </span>
                </Descriptions.Item>
              </Descriptions>
              <Space wrap>
                {SMS_STATUSES.map((st) => (
                  <Tag key={st} color={st === 'HELD' && (s.queues.sms.byStatus[st] ?? 0) > 0 ? 'orange' : undefined}>
                    {st} {s.queues.sms.byStatus[st] ?? 0}
                  </Tag>
                ))}
              </Space>
            </Section>
            <Section title={t('ops.backup')} testId="ops-backup">
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('ops.backup.interval')}>{s.backup.intervalHours > 0 ? t('ops.backup.hours', { n: s.backup.intervalHours }) : t('ops.backup.off')}</Descriptions.Item>
                <Descriptions.Item label={t('ops.backup.last')}>
                  {s.backup.lastSuccessAt && s.backup.lastSuccessAgeSeconds !== null ? `${local(s.backup.lastSuccessAt)} (${age(t, s.backup.lastSuccessAgeSeconds)})` : t('ops.backup.never')}
                </Descriptions.Item>
                {s.backup.lastSuccessBytes !== null && <Descriptions.Item label={t('ops.backup.size')}>{bytes(s.backup.lastSuccessBytes)}</Descriptions.Item>}
                {s.backup.lastFailureAt && (
                  <Descriptions.Item label={t('ops.backup.lastFailure')}>
                    <Typography.Text type="danger">
                      {local(s.backup.lastFailureAt)} {s.backup.lastFailureError}
                    </Typography.Text>
                  </Descriptions.Item>
                )}
              </Descriptions>
            </Section>
            <Section title={t('ops.retention')} testId="ops-retention">
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('ops.retention.interval')}>
                  {s.retention.intervalHours > 0 ? t('ops.backup.hours', { n: s.retention.intervalHours }) : t('ops.retention.off')}
                </Descriptions.Item>
                <Descriptions.Item label={t('ops.retention.last')}>
                  {s.retention.lastRunAt ? `${local(s.retention.lastRunAt)} ${s.retention.lastRunDryRun ? t('ops.retention.dryRun') : ''}` : t('ops.backup.never')}
                </Descriptions.Item>
                {s.retention.lastRunCounts && (
                  <>
                    <Descriptions.Item label={t('ops.retention.minimised')}>{s.retention.lastRunCounts.applicationsMinimised ?? 0}</Descriptions.Item>
                    <Descriptions.Item label={t('ops.retention.batches')}>
                      {(s.retention.lastRunCounts.personalisationBatches ?? 0) + (s.retention.lastRunCounts.personalisationBatchesBySchedulerSincePrevious ?? 0)}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('ops.retention.files')}>{(s.retention.lastRunCounts.partialBackupFiles ?? 0) + (s.retention.lastRunCounts.restoreTempDirs ?? 0)}</Descriptions.Item>
                  </>
                )}
                {s.retention.lastFailureAt && (
                  <Descriptions.Item label={t('ops.retention.lastFailure')}>
                    <Typography.Text type="danger">
                      {local(s.retention.lastFailureAt)} {s.retention.lastFailureError}
                    </Typography.Text>
                  </Descriptions.Item>
                )}
              </Descriptions>
            </Section>
            <Section title={t('ops.sla')} testId="ops-sla">
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('ops.sla.productionOverdue')}>{s.sla.productionOverdue}</Descriptions.Item>
                <Descriptions.Item label={t('ops.sla.deliveryOverdue')}>{s.sla.deliveryOverdue}</Descriptions.Item>
                <Descriptions.Item label={t('ops.sla.atRisk')}>{s.sla.productionAtRisk + s.sla.deliveryAtRisk}</Descriptions.Item>
                <Descriptions.Item label={t('ops.sla.breaches')}>{s.sla.maintenanceBreaches24h}</Descriptions.Item>
              </Descriptions>
            </Section>
            <Section title={t('ops.calendar')} testId="ops-calendar">
              <Descriptions column={1} size="small">
                {s.calendar.map((c) => (
                  <Descriptions.Item key={c.year} label={String(c.year)}>
                    <Tag color={c.published ? 'green' : 'orange'}>{c.published ? t('ops.calendar.published') : t('ops.calendar.unpublished')}</Tag>
                  </Descriptions.Item>
                ))}
              </Descriptions>
            </Section>
            <Section title={t('ops.keys')} testId="ops-keys">
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('ops.keys.active')}>{s.keys.activeKeyId}</Descriptions.Item>
                <Descriptions.Item label={t('ops.keys.age')}>{t('ops.keys.days', { n: s.keys.activeKeyAgeDays })}</Descriptions.Item>
                <Descriptions.Item label={t('ops.keys.count')}>{s.keys.keyCount}</Descriptions.Item>
                <Descriptions.Item label={t('ops.keys.blindIndex')}>{s.keys.blindIndexKey ? t('ops.keys.present') : '—'}</Descriptions.Item>
              </Descriptions>
            </Section>
            <Section title={t('ops.disks')} testId="ops-disks">
              {s.disks.map((d) => (
                <DiskLine key={d.name} disk={d} />
              ))}
            </Section>
            <Section title={t('ops.jobs')} testId="ops-jobs">
              {s.jobs.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ops.jobs.empty')} />
              ) : (
                <Table
                  size="small"
                  pagination={false}
                  rowKey="job"
                  dataSource={s.jobs}
                  columns={[
                    { title: t('ops.jobs.job'), dataIndex: 'job', key: 'job' },
                    { title: t('ops.jobs.ok'), dataIndex: 'ok', key: 'ok', width: 70 },
                    { title: t('ops.jobs.failed'), dataIndex: 'failed', key: 'failed', width: 70, render: (v: number) => (v > 0 ? <Typography.Text type="danger">{v}</Typography.Text> : v) },
                  ]}
                />
              )}
            </Section>
          </Row>
        </Space>
      )}
    </div>
  );
}
