import { Button, Card, DatePicker, Descriptions, Select, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { FileExcelOutlined, FilePdfOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router-dom';
import dayjs from 'dayjs';
import { api } from '../../api/client.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { download } from '../maintenance/shared.tsx';

interface Amounts {
  messages: number;
  billedMessages: number;
  billedSegments: number;
  duplicates: number;
  notSent: number;
  costFen: number;
}

interface Line extends Amounts {
  senderOrgId: string;
  senderOrgName: string;
  templateId: string | null;
  templateName: string | null;
}

interface Rate {
  delivered: number;
  basis: number;
  percent: string | null;
}

interface Statement {
  month: string;
  readyOn: string;
  dueBy: string;
  lines: Line[];
  totals: Amounts;
  deliveryRate: Rate;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
}

interface FailureReport {
  quarter: string;
  months: string[];
  failures: number;
  reasons: Array<{ reason: string; handsetFault: boolean; count: number; share: string; byMonth: number[] }>;
  days: Array<{ date: string } & Rate>;
}

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
const ratePercent = (r: Rate) => (r.percent === null ? '—' : `${r.percent}%`);

/** The current quarter and the seven before it, newest first, as YYYY-Qn. */
function recentQuarters(): string[] {
  const now = dayjs();
  let year = now.year();
  let q = Math.floor(now.month() / 3) + 1;
  const out: string[] = [];
  for (let i = 0; i < 8; i++) {
    out.push(`${year}-Q${q}`);
    q -= 1;
    if (q === 0) {
      q = 4;
      year -= 1;
    }
  }
  return out;
}

function DownloadButtons({ path, query, name }: { path: string; query: Record<string, string>; name: string }) {
  const t = useT();
  const { showError } = useFeedback();
  return (
    <Space>
      <Button icon={<FilePdfOutlined />} onClick={() => download(path, { ...query, format: 'pdf' }, `${name}.pdf`).catch(showError)} data-testid="stmt-pdf">
        {t('sms.stmt.pdf')}
      </Button>
      <Button icon={<FileExcelOutlined />} onClick={() => download(path, { ...query, format: 'xlsx' }, `${name}.xlsx`).catch(showError)} data-testid="stmt-xlsx">
        {t('sms.stmt.xlsx')}
      </Button>
    </Space>
  );
}

/** The month and quarter shown live in the address, so a statement can be linked to; last month and last quarter by default. */
function usePeriodParam(name: 'month' | 'quarter', fallback: string): [string, (v: string) => void] {
  const [params, setParams] = useSearchParams();
  const set = (v: string) =>
    setParams((p) => {
      p.set(name, v);
      return p;
    });
  return [params.get(name) ?? fallback, set];
}

function MonthlyCard() {
  const t = useT();
  const [month, setMonth] = usePeriodParam('month', dayjs().subtract(1, 'month').format('YYYY-MM'));
  const { data, loading } = useLoad((signal) => api.get<Statement>('/sms/statements/monthly', { month }, { signal }), [month]);
  const amountColumns: TableColumnsType<Line> = [
    { title: t('sms.stmt.messages'), dataIndex: 'messages', align: 'right' },
    { title: t('sms.stmt.billedMessages'), dataIndex: 'billedMessages', align: 'right' },
    { title: t('sms.stmt.billedSegments'), dataIndex: 'billedSegments', align: 'right' },
    { title: t('sms.stmt.duplicates'), dataIndex: 'duplicates', align: 'right' },
    { title: t('sms.stmt.notSent'), dataIndex: 'notSent', align: 'right' },
    { title: t('sms.stmt.amount'), dataIndex: 'costFen', align: 'right', render: (fen: number) => yuan(fen) },
  ];
  const columns: TableColumnsType<Line> = [
    { title: t('sms.stmt.org'), dataIndex: 'senderOrgName' },
    { title: t('sms.stmt.template'), dataIndex: 'templateName', render: (name: string | null) => name ?? t('sms.stmt.noTemplate') },
    ...amountColumns,
  ];
  const totals = data?.totals;
  return (
    <Card
      title={t('sms.stmt.monthly')}
      extra={
        <Space wrap>
          <DatePicker
            picker="month"
            allowClear={false}
            value={dayjs(`${month}-01`)}
            disabledDate={(d) => d.isAfter(dayjs(), 'month')}
            onChange={(d) => d && setMonth(d.format('YYYY-MM'))}
            aria-label={t('sms.stmt.month')}
            data-testid="stmt-month"
          />
          <DownloadButtons path="/sms/statements/monthly" query={{ month }} name={`sms-statement-${month}`} />
        </Space>
      }
    >
      {data && (
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }} style={{ marginBottom: 12 }}>
          <Descriptions.Item label={t('sms.stmt.readyOn')}>{data.readyOn}</Descriptions.Item>
          <Descriptions.Item label={t('sms.stmt.dueBy')}>{data.dueBy}</Descriptions.Item>
          <Descriptions.Item label={t('sms.stmt.rate')}>{ratePercent(data.deliveryRate)}</Descriptions.Item>
          <Descriptions.Item label={t('sms.stmt.latency')}>{[data.latencyMs.p50, data.latencyMs.p95, data.latencyMs.p99].map((v) => v ?? '—').join(' / ')}</Descriptions.Item>
        </Descriptions>
      )}
      <Table<Line>
        rowKey={(l) => `${l.senderOrgId}/${l.templateId ?? ''}`}
        size="small"
        loading={loading}
        columns={columns}
        dataSource={data?.lines ?? []}
        pagination={false}
        data-testid="stmt-lines"
        summary={() =>
          totals && (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={2}>
                <strong>{t('sms.stmt.total')}</strong>
              </Table.Summary.Cell>
              {(['messages', 'billedMessages', 'billedSegments', 'duplicates', 'notSent'] as const).map((k, i) => (
                <Table.Summary.Cell key={k} index={i + 2} align="right">
                  {totals[k]}
                </Table.Summary.Cell>
              ))}
              <Table.Summary.Cell index={7} align="right">
                <strong data-testid="stmt-total">{yuan(totals.costFen)}</strong>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )
        }
      />
    </Card>
  );
}

function FailureCard() {
  const t = useT();
  const quarters = recentQuarters();
  const [quarter, setQuarter] = usePeriodParam('quarter', quarters[1]!);
  const { data, loading } = useLoad((signal) => api.get<FailureReport>('/sms/reports/failures', { quarter }, { signal }), [quarter]);
  type Reason = FailureReport['reasons'][number];
  const columns: TableColumnsType<Reason> = [
    { title: t('sms.stmt.reason'), dataIndex: 'reason', render: (r: string, row) => (row.handsetFault ? <Space>{r}<Tag>{t('sms.stmt.handsetFault')}</Tag></Space> : r) },
    { title: t('sms.stmt.count'), dataIndex: 'count', align: 'right' },
    { title: t('sms.stmt.share'), dataIndex: 'share', align: 'right' },
    ...(data?.months ?? []).map((m, i) => ({ key: m, title: m, align: 'right' as const, render: (_: unknown, row: Reason) => row.byMonth[i] })),
  ];
  return (
    <Card
      title={t('sms.stmt.failures')}
      extra={
        <Space wrap>
          <Select style={{ minWidth: 120 }} value={quarter} onChange={setQuarter} options={quarters.map((q) => ({ value: q, label: q }))} aria-label={t('sms.stmt.quarter')} data-testid="stmt-quarter" />
          <DownloadButtons path="/sms/reports/failures" query={{ quarter }} name={`sms-failures-${quarter}`} />
        </Space>
      }
    >
      <Table<Reason> rowKey="reason" size="small" loading={loading} columns={columns} dataSource={data?.reasons ?? []} pagination={false} data-testid="stmt-reasons" />
      <Table<FailureReport['days'][number]>
        style={{ marginTop: 12 }}
        rowKey="date"
        size="small"
        loading={loading}
        columns={[
          { title: t('sms.stmt.date'), dataIndex: 'date' },
          { title: t('sms.stmt.delivered'), dataIndex: 'delivered', align: 'right' },
          { title: t('sms.stmt.basis'), dataIndex: 'basis', align: 'right' },
          { title: t('sms.stmt.rate'), key: 'rate', align: 'right', render: (_, d) => ratePercent(d) },
        ]}
        dataSource={data?.days ?? []}
        pagination={{ pageSize: 31, hideOnSinglePage: true }}
      />
    </Card>
  );
}

/** The monthly usage statement for the authority and the quarterly failure report, with PDF/XLSX downloads. */
export default function StatementsPage() {
  const t = useT();
  return (
    <>
      <PageHeader title={t('sms.menu.statements')} />
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <MonthlyCard />
        <FailureCard />
      </Space>
    </>
  );
}
