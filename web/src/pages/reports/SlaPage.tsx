import { useState } from 'react';
import { Button, Card, Form, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import { fetchProgrammes } from '../../api/resources.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { defaultPeriod, PeriodPicker, ProgrammeSelect, type Period } from './shared.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

interface Standing {
  onTime: number;
  atRisk: number;
  overdue: number;
  doneOnTime: number;
  doneLate: number;
}
interface SlaRow {
  orgId: string;
  orgName: string;
  orgKind: string;
  production: Standing;
  delivery: Standing;
}
interface LateBatch {
  batchId: string;
  batchNo: string;
  producerName: string;
  cardCount: number;
  productionDueAt: string;
  lastProducedAt: string | null;
  productionOpen: boolean;
  productionDaysLate: number;
  deliveryDueAt: string | null;
  lastReceivedAt: string | null;
  deliveryOpen: boolean;
  deliveryDaysLate: number;
}

/** On time / at risk / overdue as coloured tags, and what was finished in the period. */
function StandingCell({ s, testId }: { s: Standing; testId: string }) {
  const t = useT();
  return (
    <Space orientation="vertical" size={2} data-testid={testId}>
      <Space size={4} wrap>
        <Tag color="success" data-testid={`${testId}-on-time`}>
          {t('reports.sla.onTime', { count: s.onTime })}
        </Tag>
        <Tag color={s.atRisk > 0 ? 'warning' : 'default'} data-testid={`${testId}-at-risk`}>
          {t('reports.sla.atRisk', { count: s.atRisk })}
        </Tag>
        <Tag color={s.overdue > 0 ? 'error' : 'default'} data-testid={`${testId}-overdue`}>
          {t('reports.sla.overdue', { count: s.overdue })}
        </Tag>
      </Space>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('reports.sla.done', { onTime: s.doneOnTime, late: s.doneLate })}
      </Typography.Text>
    </Space>
  );
}

export default function SlaPage() {
  const t = useT();
  const [programmeId, setProgrammeId] = useState<string | undefined>(undefined);
  const [period, setPeriod] = useState<Period>(defaultPeriod);
  const { data: programmes = [] } = useLoad((signal) => fetchProgrammes(signal).catch(() => []), []);
  const query = { programmeId, from: period.from, to: period.to };
  const overview = useLoad(
    (signal) => api.get<{ byProducer: SlaRow[]; byReceiver: SlaRow[] }>('/sla/overview', query, { signal }),
    [programmeId, period.from, period.to],
  );
  const late = useLoad((signal) => api.get<{ items: LateBatch[] }>('/sla/late-batches', query, { signal }), [programmeId, period.from, period.to]);

  const orgColumns = (prefix: string): TableColumnsType<SlaRow> => [
    { title: t('reports.org'), dataIndex: 'orgName', key: 'org' },
    { title: t('reports.sla.production'), key: 'production', render: (_, r) => <StandingCell s={r.production} testId={`${prefix}-production-${r.orgId}`} /> },
    { title: t('reports.sla.delivery'), key: 'delivery', render: (_, r) => <StandingCell s={r.delivery} testId={`${prefix}-delivery-${r.orgId}`} /> },
  ];
  const days = (n: number, open: boolean) => (
    <Space size={4}>
      <Tag color={n > 0 ? 'error' : 'default'}>{n}</Tag>
      {open && <Typography.Text type="secondary">{t('reports.sla.stillOpen')}</Typography.Text>}
    </Space>
  );
  const lateColumns: TableColumnsType<LateBatch> = [
    { title: t('reports.sla.batchNo'), dataIndex: 'batchNo', key: 'batchNo', render: (v: string) => <span className="cf-mono cf-nowrap">{v}</span> },
    { title: t('reports.sla.producer'), dataIndex: 'producerName', key: 'producer' },
    { title: t('reports.sla.cards'), dataIndex: 'cardCount', key: 'cards', width: 80 },
    { title: t('reports.sla.productionDue'), dataIndex: 'productionDueAt', key: 'pDue', render: (v: string) => formatDateTime(v) },
    { title: t('reports.sla.lastProduced'), dataIndex: 'lastProducedAt', key: 'pDone', render: (v: string | null) => (v ? formatDateTime(v) : t('reports.sla.stillOpen')) },
    { title: t('reports.sla.productionLate'), key: 'pLate', render: (_, b) => <span data-testid={`sla-late-production-${b.batchId}`}>{days(b.productionDaysLate, b.productionOpen)}</span> },
    { title: t('reports.sla.deliveryDue'), dataIndex: 'deliveryDueAt', key: 'dDue', render: (v: string | null) => formatDateTime(v) },
    { title: t('reports.sla.lastReceived'), dataIndex: 'lastReceivedAt', key: 'dDone', render: (v: string | null) => formatDateTime(v) },
    { title: t('reports.sla.deliveryLate'), key: 'dLate', render: (_, b) => <span data-testid={`sla-late-delivery-${b.batchId}`}>{days(b.deliveryDaysLate, b.deliveryOpen)}</span> },
  ];

  return (
    <div data-testid="page-sla">
      <PageHeader title={t('reports.sla.title')} hint={t('reports.sla.hint')}>
        <Button
          icon={<ReloadOutlined />}
          onClick={() => {
            overview.reload();
            late.reload();
          }}
          data-testid="sla-refresh"
        >
          {t('reports.refresh')}
        </Button>
      </PageHeader>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline" style={{ rowGap: 8 }}>
          <ProgrammeSelect programmes={programmes} value={programmeId} onChange={setProgrammeId} testId="sla-programme" />
          <PeriodPicker value={period} onChange={setPeriod} testId="sla-period" />
        </Form>
      </Card>
      <Card size="small" title={t('reports.sla.byProducer')} style={{ marginBottom: 16 }}>
        <Table<SlaRow> rowKey="orgId" size="small" pagination={false} loading={overview.loading} columns={orgColumns('sla-producer')} dataSource={overview.data?.byProducer ?? []} data-testid="sla-producers" />
      </Card>
      <Card size="small" title={t('reports.sla.byReceiver')} style={{ marginBottom: 16 }}>
        <Table<SlaRow> rowKey="orgId" size="small" pagination={false} loading={overview.loading} columns={orgColumns('sla-receiver')} dataSource={overview.data?.byReceiver ?? []} data-testid="sla-receivers" />
      </Card>
      <Card size="small" title={t('reports.sla.lateBatches')}>
        <Table<LateBatch>
          rowKey="batchId"
          size="small"
          loading={late.loading}
          columns={lateColumns}
          dataSource={late.data?.items ?? []}
          locale={{ emptyText: t('reports.sla.noLate') }}
          scroll={{ x: 1200 }}
          data-testid="sla-late-batches"
          onRow={(b) => ({ 'data-testid': `sla-late-row-${b.batchNo}` }) as React.HTMLAttributes<HTMLElement>}
        />
      </Card>
    </div>
  );
}
