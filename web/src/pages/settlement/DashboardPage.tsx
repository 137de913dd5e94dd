import { useMemo } from 'react';
import { Card, Col, DatePicker, Empty, Progress, Row, Space, Typography } from 'antd';
import type { EChartsCoreOption } from 'echarts/core';
import dayjs from 'dayjs';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../../api/client.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useT, type TFunction } from '../../i18n/index.tsx';
import { shanghaiYear } from '../../lib/time.ts';
import { EChart } from '../reports/EChart.tsx';
import { fenText, yuan } from './shared.tsx';
import type { Dashboard } from './types.ts';

type ContractSpend = Dashboard['contracts'][number];

/**
 * Monthly billing as bars, the running total as a line and the cap as a dashed line. The chart needs
 * numbers to draw; every figure a person reads (tooltip, axis, the card) is written from integer fen.
 */
function spendOption(c: ContractSpend, t: TFunction): EChartsCoreOption {
  const months = c.months.map((m) => m.month);
  const toChart = (fen: number) => fen / 100;
  const fenByName = new Map<string, number[]>([
    [t('settle.dash.billed'), c.months.map((m) => m.billedFen)],
    [t('settle.dash.cumulative'), c.months.map((m) => m.cumulativeFen)],
    ...(c.capFen === null ? [] : ([[t('settle.dash.cap'), c.months.map(() => c.capFen ?? 0)]] as [string, number[]][])),
  ]);
  return {
    // Drawn at once: a screenshot or a print shows the finished chart.
    animation: false,
    tooltip: {
      trigger: 'axis',
      formatter: (items: { seriesName: string; dataIndex: number; axisValue: string }[]) =>
        [items[0]?.axisValue ?? '', ...items.map((i) => `${i.seriesName}: ${yuan(fenText(fenByName.get(i.seriesName)?.[i.dataIndex] ?? 0))}`)].join('<br/>'),
    },
    legend: { top: 0 },
    grid: { left: 80, right: 20, top: 36, bottom: 30 },
    xAxis: { type: 'category', data: months },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => v.toLocaleString('en-US') } },
    series: [
      { name: t('settle.dash.billed'), type: 'bar', data: c.months.map((m) => toChart(m.billedFen)) },
      { name: t('settle.dash.cumulative'), type: 'line', data: c.months.map((m) => toChart(m.cumulativeFen)) },
      ...(c.capFen === null ? [] : [{ name: t('settle.dash.cap'), type: 'line', symbol: 'none', lineStyle: { type: 'dashed', color: '#cf1322' }, itemStyle: { color: '#cf1322' }, data: c.months.map(() => toChart(c.capFen ?? 0)) }]),
    ],
  };
}

function ContractChart({ c }: { c: ContractSpend }) {
  const t = useT();
  const navigate = useNavigate();
  const option = useMemo(() => spendOption(c, t), [c, t]);
  const spent = c.months.at(-1)?.cumulativeFen ?? 0;
  const percent = c.capFen ? Math.min(100, Math.floor((spent * 100) / c.capFen)) : null;
  return (
    <Card size="small" title={`${c.code} ${c.name}`} extra={<Typography.Link onClick={() => navigate(`/settlement/contracts/${c.id}`)}>{t('settle.dash.open')}</Typography.Link>} data-testid={`dash-contract-${c.code}`}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text>
          {t('settle.dash.spent', { spent: yuan(fenText(spent)), cap: c.capFen === null ? '—' : yuan(fenText(c.capFen)) })}
        </Typography.Text>
        {percent !== null && <Progress percent={percent} status={percent >= 90 ? 'exception' : 'normal'} />}
        <EChart option={option} height={260} testId={`dash-chart-${c.code}`} />
      </Space>
    </Card>
  );
}

/** 结算看板: what each contract billed per month against its cap. */
export default function DashboardPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const year = Number(params.get('year') ?? shanghaiYear());
  const data = useLoad((signal) => api.get<Dashboard>('/settlement/dashboard', { year }, { signal }), [year]);
  const contracts = data.data?.contracts ?? [];
  return (
    <div data-testid="page-settle-dashboard">
      <PageHeader title={t('settle.menu.dashboard')} hint={t('settle.dash.hint')}>
        <DatePicker picker="year" allowClear={false} value={dayjs(`${year}-01-01`)} onChange={(d) => d && setParams({ year: String(d.year()) }, { replace: true })} data-testid="dash-year" />
      </PageHeader>
      {contracts.length === 0 && !data.loading ? (
        <Empty description={t('settle.contracts.empty')} />
      ) : (
        <Row gutter={[16, 16]}>
          {contracts.map((c) => (
            <Col key={c.id} xs={24} xl={12}>
              <ContractChart c={c} />
            </Col>
          ))}
        </Row>
      )}
    </div>
  );
}
