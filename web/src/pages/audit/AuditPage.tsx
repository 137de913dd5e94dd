import { useState } from 'react';
import { Alert, Button, Card, DatePicker, Form, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { ReloadOutlined, SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import type { AuditEntry, AuditOutcome, AuditVerifyResult } from '../../api/types.ts';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { formatDateTime, shanghaiDayEnd, shanghaiDayStart } from '../../lib/time.ts';
import { PageHeader } from '../../components/PageHeader.tsx';

interface Filters {
  actor?: string;
  action?: string;
  outcome?: AuditOutcome;
  range?: [Dayjs | null, Dayjs | null] | null;
}

interface Query {
  actor?: string;
  action?: string;
  outcome?: AuditOutcome;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

type Range = [Dayjs | null, Dayjs | null] | null;

/** RangePicker puts data-* on both inputs; one wrapper keeps the test id unique. */
function RangeField({ value, onChange, id }: { value?: Range; onChange?: (v: Range) => void; id?: string }) {
  return (
    <span data-testid="audit-range">
      <DatePicker.RangePicker id={id} value={value ?? null} onChange={(v) => onChange?.(v as Range)} allowEmpty={[true, true]} />
    </span>
  );
}

const OUTCOME_COLOR: Record<AuditOutcome, string> = { SUCCESS: 'success', DENIED: 'warning', FAILED: 'error' };
const OUTCOMES: AuditOutcome[] = ['SUCCESS', 'DENIED', 'FAILED'];

export default function AuditPage() {
  const t = useT();
  const { showError } = useFeedback();
  const [form] = Form.useForm<Filters>();
  const [query, setQuery] = useState<Query>({ page: 1, pageSize: 20 });
  const [verifying, setVerifying] = useState(false);
  const [verify, setVerify] = useState<AuditVerifyResult | null>(null);

  const { data, loading, reload } = useLoad(
    (signal) => api.get<{ items: AuditEntry[]; total: number }>('/audit', { ...query }, { signal }),
    [query.actor, query.action, query.outcome, query.from, query.to, query.page, query.pageSize],
  );

  const search = (v: Filters) => {
    const from = v.range?.[0];
    const to = v.range?.[1];
    setQuery((q) => ({
      page: 1,
      pageSize: q.pageSize,
      actor: v.actor?.trim() || undefined,
      action: v.action?.trim() || undefined,
      outcome: v.outcome || undefined,
      from: from ? shanghaiDayStart(from.format('YYYY-MM-DD')) : undefined,
      to: to ? shanghaiDayEnd(to.format('YYYY-MM-DD')) : undefined,
    }));
  };

  const runVerify = async () => {
    setVerifying(true);
    try {
      setVerify(await api.post<AuditVerifyResult>('/audit/verify'));
    } catch (err) {
      showError(err);
    } finally {
      setVerifying(false);
    }
  };

  const outcomeLabel = (o: AuditOutcome) => t(`audit.outcome.${o}`);

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('audit.seq'), dataIndex: 'seq', key: 'seq', width: 64, render: (v: number) => <span className="cf-mono">{v}</span> },
    { title: t('audit.time'), dataIndex: 'at', key: 'at', width: 160, render: (v: string) => <span className="cf-nowrap">{formatDateTime(v)}</span> },
    { title: t('audit.actor'), dataIndex: 'actorUsername', key: 'actor', width: 100, ellipsis: true, render: (v: string | null) => v ?? '—' },
    { title: t('audit.org'), dataIndex: 'orgName', key: 'org', width: 150, ellipsis: true, render: (v: string | null) => v ?? '—' },
    { title: t('audit.ip'), dataIndex: 'ip', key: 'ip', width: 115, render: (v: string | null) => (v ? <span className="cf-mono">{v}</span> : '—') },
    { title: t('audit.action'), dataIndex: 'action', key: 'action', width: 160, ellipsis: true, render: (v: string) => <span className="cf-mono">{v}</span> },
    {
      title: t('audit.target'),
      key: 'target',
      width: 150,
      ellipsis: { showTitle: false },
      render: (_, e) => {
        if (!e.targetType && !e.targetId) return '—';
        const full = `${e.targetType ?? ''}${e.targetId ? ` ${e.targetId}` : ''}`;
        return (
          <Tooltip title={full}>
            <span className="cf-mono">{full}</span>
          </Tooltip>
        );
      },
    },
    {
      title: t('audit.outcome'),
      dataIndex: 'outcome',
      key: 'outcome',
      width: 76,
      render: (o: AuditOutcome) => <Tag color={OUTCOME_COLOR[o] ?? 'default'}>{OUTCOMES.includes(o) ? outcomeLabel(o) : o}</Tag>,
    },
    {
      title: t('audit.requestId'),
      dataIndex: 'requestId',
      key: 'requestId',
      width: 130,
      ellipsis: { showTitle: false },
      render: (v: string | null) =>
        v ? (
          <Tooltip title={v}>
            <Typography.Text className="cf-mono" copyable={{ text: v }}>
              {v}
            </Typography.Text>
          </Tooltip>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <div data-testid="page-audit">
      <PageHeader title={t('menu.audit')}>
        <Space>
          <Typography.Text type="secondary">{t('audit.timeZoneNote')}</Typography.Text>
          <Button icon={<SafetyCertificateOutlined />} loading={verifying} onClick={() => void runVerify()} data-testid="audit-verify">
            {t('audit.verify')}
          </Button>
        </Space>
      </PageHeader>
      {verify && (
        <div data-testid="audit-verify-result" data-ok={String(verify.ok)} style={{ marginBottom: 12 }}>
          <Alert
            type={verify.ok ? 'success' : 'error'}
            showIcon
            closable={{ onClose: () => setVerify(null) }}
            title={
              verify.ok
                ? t('audit.verifyOk', { checked: verify.checked })
                : verify.firstBrokenSeq !== null
                  ? t('audit.verifyBroken', { seq: verify.firstBrokenSeq, reason: verify.reason ?? '', checked: verify.checked })
                  : t('audit.verifyBrokenNoSeq', { reason: verify.reason ?? '', checked: verify.checked })
            }
          />
        </div>
      )}
      <Card size="small">
        <Form<Filters> form={form} layout="inline" className="cf-filters" onFinish={search} name="audit-filters">
          <Form.Item name="actor" label={t('audit.actor')}>
            <Input allowClear data-testid="audit-actor" style={{ width: 150 }} />
          </Form.Item>
          <Form.Item name="action" label={t('audit.action')}>
            <Input allowClear data-testid="audit-action" style={{ width: 170 }} placeholder="auth.login" />
          </Form.Item>
          <Form.Item name="outcome" label={t('audit.outcome')}>
            <Select allowClear data-testid="audit-outcome" style={{ width: 110 }} placeholder={t('common.all')} options={OUTCOMES.map((o) => ({ value: o, label: outcomeLabel(o) }))} />
          </Form.Item>
          <Form.Item name="range" label={t('audit.range')}>
            <RangeField />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-search">
                {t('common.search')}
              </Button>
              <Button
                icon={<ReloadOutlined />}
                data-testid="audit-reset"
                onClick={() => {
                  form.resetFields();
                  search({});
                  reload();
                }}
              >
                {t('common.reset')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
        <Table<AuditEntry>
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data?.items ?? []}
          scroll={{ x: 1150 }}
          expandable={{
            rowExpandable: (e) => e.details !== null && e.details !== undefined && !(typeof e.details === 'object' && Object.keys(e.details as object).length === 0),
            expandedRowRender: (e) => (
              <pre className="cf-mono" style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                {JSON.stringify(e.details, null, 2)}
              </pre>
            ),
          }}
          pagination={{
            current: query.page,
            pageSize: query.pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100, 200],
            showTotal: (total) => t('common.total', { total }),
            onChange: (page, pageSize) => setQuery((q) => ({ ...q, page: pageSize === q.pageSize ? page : 1, pageSize })),
          }}
          data-testid="audit-table"
        />
      </Card>
    </div>
  );
}
