import { useState } from 'react';
import { Button, Card, DatePicker, Empty, Progress, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CalendarOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import dayjs from 'dayjs';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useFeedback } from '../../components/feedback.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { useLabel } from './shared.tsx';
import { VisitStatusTag, type Visit } from './VisitShared.tsx';

interface Contract {
  id: string;
  name: string;
  maintainerOrgId: string;
}
interface Summary {
  month: string;
  contracts: { contractId: string; contractName: string; outlets: number; planned: number; inProgress: number; signed: number; missing: number }[];
}

/** 月度巡检: the month's plan for a contract, how far it has got (e.g. 28/30 signed), and each outlet's visit. */
export default function VisitsPage() {
  const t = useT();
  const label = useLabel();
  const navigate = useNavigate();
  const { user, can } = useAuth();
  const { showError, showSuccess } = useFeedback();
  const [params, setParams] = useSearchParams();
  const month = params.get('month') ?? dayjs().format('YYYY-MM');
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [mine, setMine] = useState(false);
  const [kind, setKind] = useState('PREVENTIVE');
  const [busy, setBusy] = useState(false);

  const contracts = useLoad((signal) => api.get<{ items: Contract[] }>('/maintenance/contracts', undefined, { signal }), []);
  const contractId = params.get('contract') ?? contracts.data?.items[0]?.id;
  const contract = contracts.data?.items.find((c) => c.id === contractId);
  const summary = useLoad((signal) => api.get<Summary>('/maintenance/visits/summary', { month }, { signal }), [month]);
  const visits = useLoad(
    (signal) => api.get<{ items: Visit[]; total: number }>('/maintenance/visits', { month, contractId, status, engineerId: mine ? user?.id : undefined, kind, limit: 500 }, { signal }),
    [month, contractId, status, mine, kind],
    { enabled: !!contractId },
  );
  const numbers = summary.data?.contracts.find((c) => c.contractId === contractId);
  const mayPlan = !!contract && ((user?.orgId === contract.maintainerOrgId && can('ticket.work')) || can('maintenance.manage'));

  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    setParams(next, { replace: true });
  };

  const plan = async () => {
    if (!contractId) return;
    setBusy(true);
    try {
      const out = await api.post<{ created: number; total: number }>('/maintenance/visits/plan', { contractId, month });
      showSuccess(t('maint.visit.planned', out));
      visits.reload();
      summary.reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const columns: TableColumnsType<Visit> = [
    { title: t('maint.visit.site'), dataIndex: 'siteName', key: 'site', render: (v: string, r) => <Link to={`/maintenance/visits/${r.id}`}>{v}</Link> },
    { title: t('maint.visit.engineer'), dataIndex: 'engineerName', key: 'engineer', responsive: ['sm'], render: (v: string | null) => v ?? <Typography.Text type="secondary">{t('maint.visit.unassigned')}</Typography.Text> },
    {
      title: t('maint.visit.status'),
      dataIndex: 'status',
      key: 'status',
      width: 110,
      render: (v: string, r) => (
        <Space size={4} wrap>
          <VisitStatusTag status={v} />
          {r.missed && <Tag color="red">{t('maint.visit.missed')}</Tag>}
        </Space>
      ),
    },
    { title: t('maint.visit.progress'), key: 'progress', width: 90, responsive: ['md'], render: (_: unknown, r) => `${r.answeredCount}/${r.itemCount}` },
    { title: t('maint.visit.signedAt'), key: 'signed', responsive: ['lg'], render: (_: unknown, r) => r.signedAtLocal ?? '' },
  ];

  return (
    <div data-testid="page-maint-visits">
      <PageHeader title={t('maint.visit.title')}>
        {mayPlan && (
          <Button type="primary" icon={<CalendarOutlined />} loading={busy} onClick={plan} data-testid="visits-plan">
            {t('maint.visit.plan')}
          </Button>
        )}
      </PageHeader>
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Space wrap>
          <DatePicker
            picker="month"
            allowClear={false}
            value={dayjs(`${month}-01`)}
            onChange={(d) => d && setParam('month', d.format('YYYY-MM'))}
            aria-label={t('maint.visit.month')}
            data-testid="visits-month"
          />
          <Select
            style={{ minWidth: 220 }}
            value={contractId}
            onChange={(v: string) => setParam('contract', v)}
            options={(contracts.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
            aria-label={t('maint.visit.contract')}
          />
          <Select
            style={{ minWidth: 110 }}
            value={kind}
            onChange={(v: string) => setKind(v)}
            options={['PREVENTIVE', 'PHOTO_AT_HOME'].map((k) => ({ value: k, label: label(`maint.visit.kind.${k}`) }))}
            data-testid="visits-kind"
          />
          <Select
            style={{ minWidth: 120 }}
            allowClear
            placeholder={t('maint.visit.allStatuses')}
            value={status}
            onChange={(v: string | undefined) => setStatus(v)}
            options={['PLANNED', 'IN_PROGRESS', 'SIGNED'].map((s) => ({ value: s, label: label(`maint.visit.status.${s}`) }))}
            data-testid="visits-status"
          />
          {can('ticket.work') && (
            <Space size={6}>
              <Switch size="small" checked={mine} onChange={setMine} data-testid="visits-mine" />
              <span>{t('maint.visit.onlyMine')}</span>
            </Space>
          )}
        </Space>
        {numbers && (
          <Card size="small" data-testid="visits-summary">
            <Space wrap size={24} align="center">
              <Progress type="circle" size={72} percent={numbers.outlets === 0 ? 0 : Math.round((numbers.signed / numbers.outlets) * 100)} />
              <Space orientation="vertical" size={0}>
                <Typography.Text strong style={{ fontSize: 20 }} data-testid="visits-completion">
                  {t('maint.visit.completion', { signed: numbers.signed, outlets: numbers.outlets })}
                </Typography.Text>
                <Typography.Text type={numbers.missing > 0 ? 'warning' : 'success'}>{t('maint.visit.missing', { missing: numbers.missing })}</Typography.Text>
              </Space>
            </Space>
          </Card>
        )}
        <Table<Visit>
          rowKey="id"
          size="small"
          loading={visits.loading}
          columns={columns}
          dataSource={visits.data?.items ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          onRow={(r) => ({ onClick: () => navigate(`/maintenance/visits/${r.id}`), style: { cursor: 'pointer' } })}
          locale={{ emptyText: <Empty description={t('maint.visit.empty')} /> }}
          data-testid="visits-table"
        />
      </Space>
    </div>
  );
}
