import { useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Form, Row, Space, Statistic, Table, Typography } from 'antd';
import { FileExcelOutlined, ReloadOutlined } from '@ant-design/icons';
import type { EChartsCoreOption } from 'echarts/core';
import { api } from '../../api/client.ts';
import { fetchProgrammes } from '../../api/resources.ts';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useNames, useT } from '../../i18n/index.tsx';
import { defaultPeriod, download, percent, PeriodPicker, ProgrammeSelect, type Period } from './shared.tsx';
import { EChart } from './EChart.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

interface Summary {
  period: { from: string; to: string };
  applicationsByStatus: { status: string; count: number }[];
  cardsByStatus: { status: string; count: number }[];
  perOutlet: { orgId: string; orgName: string; submitted: number; received: number; issued: number; awaitingPickup: number }[];
  perProducer: { orgId: string; orgName: string; ordered: number; produced: number; wastedAuthority: number; wastedProducer: number }[];
  perDay: { date: string; submitted: number; produced: number; received: number; issued: number }[];
  waste: { programmeId: string; programmeName: string; cardKind: string; produced: number; wastedAuthority: number; wastedProducer: number; producerRate: number; limit: number | null; exceeded: boolean }[];
  sla: { producedTotal: number; producedOnTime: number; productionOnTimeRate: number | null; deliveredTotal: number; deliveredOnTime: number; deliveryOnTimeRate: number | null };
}

export default function StatsPage() {
  const t = useT();
  const names = useNames();
  const { showError } = useFeedback();
  const [programmeId, setProgrammeId] = useState<string | undefined>(undefined);
  const [period, setPeriod] = useState<Period>(defaultPeriod);
  const [exporting, setExporting] = useState(false);
  const { data: programmes = [] } = useLoad((signal) => fetchProgrammes(signal).catch(() => []), []);
  const query = { programmeId, from: period.from, to: period.to };
  const { data, loading, reload } = useLoad((signal) => api.get<Summary>('/reports/summary', query, { signal }), [programmeId, period.from, period.to]);

  const stageOption = useMemo<EChartsCoreOption>(() => {
    const apps = data?.applicationsByStatus ?? [];
    const cards = data?.cardsByStatus ?? [];
    const categories = [...apps.map((r) => names.code('appStatus', r.status)), ...cards.map((r) => names.code('reports.cardStatus', r.status))];
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: [t('reports.stats.applications'), t('reports.stats.cards')] },
      grid: { left: 48, right: 16, bottom: 64 },
      xAxis: { type: 'category', data: categories, axisLabel: { rotate: 30 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('reports.stats.applications'), type: 'bar', stack: 'stage', data: [...apps.map((r) => r.count), ...cards.map(() => null)] },
        { name: t('reports.stats.cards'), type: 'bar', stack: 'stage', data: [...apps.map(() => null), ...cards.map((r) => r.count)] },
      ],
    };
  }, [data, names, t]);

  const dailyOption = useMemo<EChartsCoreOption>(() => {
    const days = data?.perDay ?? [];
    const line = (name: string, key: 'submitted' | 'produced' | 'received' | 'issued') => ({ name, type: 'line', smooth: true, data: days.map((d) => d[key]) });
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: [t('reports.stats.submitted'), t('reports.stats.produced'), t('reports.stats.received'), t('reports.stats.issued')] },
      grid: { left: 48, right: 16, bottom: 32 },
      xAxis: { type: 'category', data: days.map((d) => d.date.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        line(t('reports.stats.submitted'), 'submitted'),
        line(t('reports.stats.produced'), 'produced'),
        line(t('reports.stats.received'), 'received'),
        line(t('reports.stats.issued'), 'issued'),
      ],
    };
  }, [data, t]);

  const wasteOption = useMemo<EChartsCoreOption>(() => {
    const waste = data?.waste ?? [];
    const authority = waste.reduce((s, w) => s + w.wastedAuthority, 0);
    const producer = waste.reduce((s, w) => s + w.wastedProducer, 0);
    return {
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['35%', '65%'],
          data: [
            { name: t('reports.stats.wasteAuthority'), value: authority },
            { name: t('reports.stats.wasteProducer'), value: producer },
          ],
        },
      ],
    };
  }, [data, t]);

  const exportXlsx = async () => {
    setExporting(true);
    try {
      await download('/reports/summary.xlsx', query, `cardflow-report-${period.from}-${period.to}.xlsx`);
    } catch (err) {
      showError(err);
    } finally {
      setExporting(false);
    }
  };

  return (
    <div data-testid="page-reports">
      <PageHeader title={t('reports.stats.title')}>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={reload} data-testid="reports-refresh">
            {t('reports.refresh')}
          </Button>
          <Button type="primary" icon={<FileExcelOutlined />} loading={exporting} onClick={exportXlsx} data-testid="reports-export-xlsx">
            {t('reports.stats.exportXlsx')}
          </Button>
        </Space>
      </PageHeader>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline" style={{ rowGap: 8 }}>
          <ProgrammeSelect programmes={programmes} value={programmeId} onChange={setProgrammeId} testId="reports-programme" />
          <PeriodPicker value={period} onChange={setPeriod} testId="reports-period" />
        </Form>
      </Card>
      {(data?.waste ?? []).map((w) =>
        w.exceeded ? (
          <Alert
            key={w.programmeId}
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid={`reports-waste-alert-${w.programmeId}`}
            title={t('reports.stats.wasteExceeded', { programme: w.programmeName, rate: percent(w.producerRate, 2), limit: percent(w.limit, 1) })}
          />
        ) : null,
      )}
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('reports.stats.stages')} style={{ marginBottom: 16 }} loading={loading && !data}>
            <EChart option={stageOption} testId="reports-chart-stage" />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('reports.stats.waste')} style={{ marginBottom: 16 }} loading={loading && !data}>
            <EChart option={wasteOption} testId="reports-chart-waste" />
            <Space orientation="vertical" size={0}>
              {(data?.waste ?? []).map((w) => (
                <Typography.Text key={w.programmeId} type={w.exceeded ? 'danger' : 'secondary'} data-testid={`reports-waste-rate-${w.programmeId}`}>
                  {t('reports.stats.wasteRate', { programme: w.programmeName, rate: percent(w.producerRate, 2) })}
                </Typography.Text>
              ))}
            </Space>
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('reports.stats.daily')} style={{ marginBottom: 16 }} loading={loading && !data}>
        <EChart option={dailyOption} testId="reports-chart-daily" />
      </Card>
      <Card size="small" title={t('reports.stats.sla')} style={{ marginBottom: 16 }}>
        <Row gutter={16}>
          <Col span={12}>
            <Statistic
              title={t('reports.stats.productionOnTime')}
              value={percent(data?.sla.productionOnTimeRate ?? null)}
              suffix={<Typography.Text type="secondary">{t('reports.stats.ofTotal', { part: data?.sla.producedOnTime ?? 0, whole: data?.sla.producedTotal ?? 0 })}</Typography.Text>}
              data-testid="reports-sla-production"
            />
          </Col>
          <Col span={12}>
            <Statistic
              title={t('reports.stats.deliveryOnTime')}
              value={percent(data?.sla.deliveryOnTimeRate ?? null)}
              suffix={<Typography.Text type="secondary">{t('reports.stats.ofTotal', { part: data?.sla.deliveredOnTime ?? 0, whole: data?.sla.deliveredTotal ?? 0 })}</Typography.Text>}
              data-testid="reports-sla-delivery"
            />
          </Col>
        </Row>
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('reports.stats.perOutlet')} style={{ marginBottom: 16 }}>
            <Table
              rowKey="orgId"
              size="small"
              pagination={false}
              loading={loading}
              dataSource={data?.perOutlet ?? []}
              data-testid="reports-outlets"
              columns={[
                { title: t('reports.org'), dataIndex: 'orgName', key: 'org' },
                { title: t('reports.stats.submitted'), dataIndex: 'submitted', key: 'submitted' },
                { title: t('reports.stats.received'), dataIndex: 'received', key: 'received' },
                { title: t('reports.stats.issued'), dataIndex: 'issued', key: 'issued' },
                { title: t('reports.stats.awaiting'), dataIndex: 'awaitingPickup', key: 'awaiting' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('reports.stats.perProducer')} style={{ marginBottom: 16 }}>
            <Table
              rowKey="orgId"
              size="small"
              pagination={false}
              loading={loading}
              dataSource={data?.perProducer ?? []}
              data-testid="reports-producers"
              columns={[
                { title: t('reports.org'), dataIndex: 'orgName', key: 'org' },
                { title: t('reports.stats.ordered'), dataIndex: 'ordered', key: 'ordered' },
                { title: t('reports.stats.produced'), dataIndex: 'produced', key: 'produced' },
                { title: t('reports.stats.wasteAuthority'), dataIndex: 'wastedAuthority', key: 'wa' },
                { title: t('reports.stats.wasteProducer'), dataIndex: 'wastedProducer', key: 'wp' },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
