import { useState } from 'react';
import { Alert, Button, DatePicker, Descriptions, Drawer, Empty, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CheckOutlined, FileExcelOutlined, FilePdfOutlined, RollbackOutlined, SendOutlined, SyncOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router-dom';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useFeedback } from '../../components/feedback.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { download, useLabel } from './shared.tsx';

interface Contract {
  id: string;
  name: string;
  maintainerOrgId: string;
  termStart: string;
  termEnd: string;
}
interface Sla {
  met: number;
  missed: number;
  running: number;
  p50Minutes: number | null;
  p90Minutes: number | null;
}
interface Report {
  id: string;
  kind: 'WEEKLY' | 'MONTHLY' | 'ANNUAL';
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  status: string;
  overdue: boolean;
  late: boolean;
  firstSubmittedAtLocal: string | null;
  submittedByName: string | null;
  reviewedAtLocal: string | null;
  reviewedByName: string | null;
  reviewNote: string | null;
}
interface ReportDetail extends Report {
  termStart: string;
  content: {
    outlets: number;
    asOf: string;
    visits: { preventiveSigned: number; photoSigned: number; months: { month: string; outlets: number; signed: number; missing: number }[] };
    tickets: { opened: number; resolved: number; byCategory: { category: string; count: number }[]; response: Sla; fix: Sla | null };
    breaches: { byKind: Record<string, number>; total: number; inTerm: number; terminationThreshold: number | null };
    assets: { total: number; byStatus: Record<string, number> };
    spareShortfalls?: { type: string; required: number; inStock: number; shortfall: number }[];
    staffAttendance?: { posts: number; shiftsPlanned: number; attended: number; late: number; absent: number; uncoveredMinutes: number };
  };
  mayGenerate: boolean;
  maySubmit: boolean;
  mayReview: boolean;
}

const KINDS = ['MONTHLY', 'WEEKLY', 'ANNUAL'] as const;
const BREACH_KINDS = ['LATE_RESPONSE', 'LATE_FIX', 'MISSED_VISIT', 'LATE_REPORT'] as const;
const STATUS_COLORS: Record<string, string> = { DRAFT: 'default', SUBMITTED: 'processing', ACCEPTED: 'success', RETURNED: 'warning' };

/** The first day of the report period around `day`: the week's Monday, the month's 1st, the contract year's anniversary (all clipped to the term). */
function periodStartFor(kind: Report['kind'], day: Dayjs, contract: Contract): string {
  const termStart = dayjs(contract.termStart);
  let start = kind === 'WEEKLY' ? day.subtract((day.day() + 6) % 7, 'day') : kind === 'MONTHLY' ? day.startOf('month') : termStart.add(day.diff(termStart, 'year'), 'year');
  if (start.isBefore(termStart)) start = termStart;
  return start.format('YYYY-MM-DD');
}

function SlaLine({ s }: { s: Sla }) {
  const t = useT();
  return <>{t('maint.report.slaLine', { met: s.met, missed: s.missed, running: s.running, p50: s.p50Minutes ?? '—', p90: s.p90Minutes ?? '—' })}</>;
}

/** 运维报表: weekly, monthly and annual reports of a contract with their due dates; generate, review the numbers, submit, accept or return, download. */
export default function ReportsPage() {
  const t = useT();
  const label = useLabel();
  const { user, can } = useAuth();
  const { showError, showSuccess } = useFeedback();
  const [params, setParams] = useSearchParams();
  const [kind, setKind] = useState<Report['kind']>('MONTHLY');
  const [day, setDay] = useState<Dayjs>(dayjs().subtract(1, 'month'));
  const [openId, setOpenId] = useState<string | null>(null);
  const [returning, setReturning] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  const contracts = useLoad((signal) => api.get<{ items: Contract[] }>('/maintenance/contracts', undefined, { signal }), []);
  const contractId = params.get('contract') ?? contracts.data?.items[0]?.id;
  const contract = contracts.data?.items.find((c) => c.id === contractId);
  const reports = useLoad((signal) => api.get<{ items: Report[]; total: number }>('/maintenance/reports', { contractId, limit: 200 }, { signal }), [contractId], { enabled: !!contractId });
  const detail = useLoad((signal) => api.get<ReportDetail>(`/maintenance/reports/${encodeURIComponent(openId ?? '')}`, undefined, { signal }), [openId], { enabled: !!openId });
  const mayGenerate = !!contract && ((user?.orgId === contract.maintainerOrgId && can('ticket.work')) || can('maintenance.manage'));

  const run = async (fn: () => Promise<unknown>, done?: string) => {
    setBusy(true);
    try {
      await fn();
      if (done) showSuccess(done);
      reports.reload();
      detail.reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const generate = () =>
    contract &&
    run(async () => {
      const out = await api.post<ReportDetail>('/maintenance/reports', { contractId: contract.id, kind, periodStart: periodStartFor(kind, day, contract) });
      setOpenId(out.id);
    }, t('maint.report.generated'));
  const act = (action: 'submit' | 'accept', done: string) => openId && run(() => api.post(`/maintenance/reports/${encodeURIComponent(openId)}/${action}`, {}), done);
  const sendBack = () =>
    openId &&
    run(async () => {
      await api.post(`/maintenance/reports/${encodeURIComponent(openId)}/return`, { note });
      setReturning(false);
      setNote('');
    }, t('maint.report.returnedDone'));
  const file = (r: Report, ext: 'pdf' | 'xlsx') => download(`/maintenance/reports/${encodeURIComponent(r.id)}/report.${ext}`, {}, `${label(`maint.report.kind.${r.kind}`)}-${r.periodStart}.${ext}`).catch(showError);

  const columns: TableColumnsType<Report> = [
    { title: t('maint.report.kind'), dataIndex: 'kind', key: 'kind', width: 90, render: (v: string) => label(`maint.report.kind.${v}`) },
    {
      title: t('maint.report.period'),
      key: 'period',
      render: (_: unknown, r) => (
        <>
          <span style={{ whiteSpace: 'nowrap' }}>{r.periodStart}</span> ~ <span style={{ whiteSpace: 'nowrap' }}>{r.periodEnd}</span>
        </>
      ),
    },
    { title: t('maint.report.due'), dataIndex: 'dueDate', key: 'due', width: 110, responsive: ['sm'] },
    {
      title: t('maint.report.status'),
      key: 'status',
      width: 160,
      render: (_: unknown, r) => (
        <Space size={4} wrap>
          <Tag color={STATUS_COLORS[r.status]} data-status={r.status}>
            {label(`maint.report.status.${r.status}`)}
          </Tag>
          {r.overdue && <Tag color="red">{t('maint.report.overdue')}</Tag>}
          {r.late && <Tag color="volcano">{t('maint.report.late')}</Tag>}
        </Space>
      ),
    },
    { title: t('maint.report.submittedAt'), key: 'submitted', width: 150, responsive: ['lg'], render: (_: unknown, r) => r.firstSubmittedAtLocal ?? '' },
    {
      title: t('maint.report.files'),
      key: 'files',
      width: 110,
      render: (_: unknown, r) => (
        <Space size={0} onClick={(e) => e.stopPropagation()}>
          <Button type="link" size="small" icon={<FilePdfOutlined />} aria-label="PDF" onClick={() => void file(r, 'pdf')} />
          <Button type="link" size="small" icon={<FileExcelOutlined />} aria-label="XLSX" onClick={() => void file(r, 'xlsx')} />
        </Space>
      ),
    },
  ];

  const d = detail.data;
  const c = d?.content;
  return (
    <div data-testid="page-maint-reports">
      <PageHeader title={t('maint.menu.reports')} />
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Space wrap>
          <Select
            style={{ minWidth: 220 }}
            value={contractId}
            onChange={(v: string) => setParams({ contract: v }, { replace: true })}
            options={(contracts.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))}
            aria-label={t('maint.visit.contract')}
          />
          {mayGenerate && (
            <>
              <Select style={{ minWidth: 100 }} value={kind} onChange={(v: Report['kind']) => setKind(v)} options={KINDS.map((k) => ({ value: k, label: label(`maint.report.kind.${k}`) }))} data-testid="reports-kind" />
              <DatePicker picker={kind === 'WEEKLY' ? 'week' : kind === 'MONTHLY' ? 'month' : 'year'} allowClear={false} value={day} onChange={(v) => v && setDay(v)} data-testid="reports-period" />
              <Button type="primary" icon={<SyncOutlined />} loading={busy} onClick={() => void generate()} data-testid="reports-generate">
                {t('maint.report.generate')}
              </Button>
            </>
          )}
        </Space>
        <Table<Report>
          rowKey="id"
          size="small"
          loading={reports.loading}
          columns={columns}
          dataSource={reports.data?.items ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
          locale={{ emptyText: <Empty description={t('maint.report.empty')} /> }}
          data-testid="reports-table"
        />
      </Space>
      <Drawer open={!!openId} onClose={() => setOpenId(null)} size={640} title={d ? `${label(`maint.report.kind.${d.kind}`)} ${d.periodStart} ~ ${d.periodEnd}` : ''} data-testid="report-drawer">
        {d && c && (
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            {d.overdue && <Alert type="error" showIcon title={t('maint.report.overdueHint', { due: d.dueDate })} />}
            {d.status === 'RETURNED' && d.reviewNote && <Alert type="warning" showIcon title={t('maint.report.returnedNote', { note: d.reviewNote })} />}
            <Space wrap>
              {d.mayGenerate && (
                <Button icon={<SyncOutlined />} loading={busy} onClick={() => void run(() => api.post('/maintenance/reports', { contractId, kind: d.kind, periodStart: d.periodStart }), t('maint.report.generated'))}>
                  {t('maint.report.regenerate')}
                </Button>
              )}
              {d.maySubmit && (
                <Button type="primary" icon={<SendOutlined />} loading={busy} onClick={() => void act('submit', t('maint.report.submittedDone'))} data-testid="report-submit">
                  {t('maint.report.submit')}
                </Button>
              )}
              {d.mayReview && (
                <>
                  <Button type="primary" icon={<CheckOutlined />} loading={busy} onClick={() => void act('accept', t('maint.report.acceptedDone'))} data-testid="report-accept">
                    {t('maint.report.accept')}
                  </Button>
                  <Button danger icon={<RollbackOutlined />} onClick={() => setReturning(true)} data-testid="report-return">
                    {t('maint.report.return')}
                  </Button>
                </>
              )}
              <Button icon={<FilePdfOutlined />} onClick={() => void file(d, 'pdf')} data-testid="report-pdf">
                PDF
              </Button>
              <Button icon={<FileExcelOutlined />} onClick={() => void file(d, 'xlsx')}>
                XLSX
              </Button>
            </Space>
            <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered styles={{ label: { whiteSpace: 'nowrap' } }} data-testid="report-numbers">
              <Descriptions.Item label={t('maint.report.due')}>{d.dueDate}</Descriptions.Item>
              <Descriptions.Item label={t('maint.report.status')}>{label(`maint.report.status.${d.status}`)}</Descriptions.Item>
              <Descriptions.Item label={t('maint.report.outlets')}>{c.outlets}</Descriptions.Item>
              <Descriptions.Item label={t('maint.report.visitsSigned')}>{c.visits.preventiveSigned}</Descriptions.Item>
              {c.visits.months.map((m) => (
                <Descriptions.Item key={m.month} label={t('maint.report.month', { month: m.month })} span={2}>
                  {t('maint.report.monthLine', { signed: m.signed, outlets: m.outlets, missing: m.missing })}
                </Descriptions.Item>
              ))}
              <Descriptions.Item label={t('maint.report.tickets')}>{t('maint.report.ticketsLine', { opened: c.tickets.opened, resolved: c.tickets.resolved })}</Descriptions.Item>
              <Descriptions.Item label={t('maint.report.categories')}>{c.tickets.byCategory.map((x) => `${x.category} ${x.count}`).join('，') || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('maint.clock.RESPONSE')} span={2}>
                <SlaLine s={c.tickets.response} />
              </Descriptions.Item>
              {c.tickets.fix && (
                <Descriptions.Item label={t('maint.clock.FIX')} span={2}>
                  <SlaLine s={c.tickets.fix} />
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('maint.report.breaches')} span={2}>
                {BREACH_KINDS.map((k) => `${label(`maint.breach.kind.${k}`)} ${c.breaches.byKind[k] ?? 0}`).join('，')}
                {' · '}
                {t('maint.report.inTerm', { count: c.breaches.inTerm, threshold: c.breaches.terminationThreshold ?? '—' })}
              </Descriptions.Item>
              <Descriptions.Item label={t('maint.report.assets')} span={2}>
                {Object.entries(c.assets.byStatus)
                  .map(([s, n]) => `${label(`maint.asset.status.${s}`)} ${n}`)
                  .join('，') || '—'}
              </Descriptions.Item>
              {c.spareShortfalls && (
                <Descriptions.Item label={t('maint.report.spares')} span={2} data-testid="report-spares">
                  {c.spareShortfalls.map((x) => t('maint.report.spareLine', { type: label(`maint.asset.type.${x.type}`), shortfall: x.shortfall, required: x.required })).join('，') || t('maint.report.noShortfall')}
                </Descriptions.Item>
              )}
              {c.staffAttendance && (
                <Descriptions.Item label={t('maint.report.attendance')} span={2} data-testid="report-attendance">
                  {t('maint.report.attendanceLine', {
                    posts: c.staffAttendance.posts,
                    planned: c.staffAttendance.shiftsPlanned,
                    attended: c.staffAttendance.attended,
                    late: c.staffAttendance.late,
                    absent: c.staffAttendance.absent,
                    minutes: c.staffAttendance.uncoveredMinutes,
                  })}
                </Descriptions.Item>
              )}
              {d.firstSubmittedAtLocal && <Descriptions.Item label={t('maint.report.submittedAt')}>{`${d.firstSubmittedAtLocal} ${d.submittedByName ?? ''}`}</Descriptions.Item>}
              {d.reviewedAtLocal && <Descriptions.Item label={t('maint.report.reviewedAt')}>{`${d.reviewedAtLocal} ${d.reviewedByName ?? ''}`}</Descriptions.Item>}
            </Descriptions>
            <Typography.Text type="secondary">{t('maint.report.asOf', { at: dayjs(c.asOf).format('YYYY-MM-DD HH:mm') })}</Typography.Text>
          </Space>
        )}
      </Drawer>
      <Modal open={returning} title={t('maint.report.return')} onCancel={() => setReturning(false)} onOk={() => void sendBack()} okButtonProps={{ disabled: note.trim() === '', loading: busy }}>
        <Input.TextArea rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('maint.report.returnHint')} data-testid="report-return-note" />
      </Modal>
    </div>
  );
}
