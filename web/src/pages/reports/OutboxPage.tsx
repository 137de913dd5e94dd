import { useState } from 'react';
import { Alert, Button, Card, Form, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useNames, useT } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { PageHeader } from '../../components/PageHeader.tsx';

interface Notice {
  id: string;
  kind: string;
  status: string;
  applicationNo: string | null;
  programmeName: string | null;
  outletName: string | null;
  recipientMasked: string | null;
  payload: Record<string, unknown>;
  createdAt: string;
}

const KINDS = ['APPLICATION_REJECTED', 'BANK_REJECTED', 'CARD_READY', 'ENDORSEMENT_DUE'] as const;
const STATUSES = ['PENDING', 'SENT', 'FAILED'] as const;
const STATUS_COLOR: Record<string, string> = { PENDING: 'processing', SENT: 'success', FAILED: 'error' };

/** The payload without the application number (already a column), as short key: value text. */
function content(payload: Record<string, unknown>): string {
  return Object.entries(payload)
    .filter(([k]) => k !== 'applicationNo')
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('；');
}

export default function OutboxPage() {
  const t = useT();
  const names = useNames();
  const [kind, setKind] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [page, setPage] = useState({ current: 1, size: 50 });
  const { data, loading, reload } = useLoad(
    (signal) => api.get<{ items: Notice[]; total: number }>('/notifications', { kind, status, limit: page.size, offset: (page.current - 1) * page.size }, { signal }),
    [kind, status, page.current, page.size],
  );

  const columns: TableColumnsType<Notice> = [
    { title: t('reports.outbox.createdAt'), dataIndex: 'createdAt', key: 'createdAt', width: 170, render: (v: string) => <span className="cf-nowrap">{formatDateTime(v)}</span> },
    { title: t('reports.outbox.kind'), dataIndex: 'kind', key: 'kind', width: 140, render: (v: string) => <Tag>{names.code('reports.outboxKind', v)}</Tag> },
    { title: t('reports.outbox.status'), dataIndex: 'status', key: 'status', width: 100, render: (v: string) => <Tag color={STATUS_COLOR[v]}>{names.code('reports.outboxStatus', v)}</Tag> },
    { title: t('reports.outbox.recipient'), dataIndex: 'recipientMasked', key: 'recipient', width: 140, render: (v: string | null) => <span className="cf-mono">{v ?? ''}</span> },
    { title: t('reports.outbox.applicationNo'), dataIndex: 'applicationNo', key: 'applicationNo', width: 180, render: (v: string | null) => <span className="cf-mono cf-nowrap">{v ?? ''}</span> },
    { title: t('reports.outbox.outlet'), dataIndex: 'outletName', key: 'outlet' },
    { title: t('reports.outbox.content'), key: 'content', render: (_, n) => <Typography.Text type="secondary">{content(n.payload)}</Typography.Text> },
  ];

  return (
    <div data-testid="page-outbox">
      <PageHeader title={t('reports.outbox.title')}>
        <Button icon={<ReloadOutlined />} onClick={reload} data-testid="outbox-refresh">
          {t('reports.refresh')}
        </Button>
      </PageHeader>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('reports.outbox.hint')} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline" style={{ rowGap: 8 }}>
          <Form.Item label={t('reports.outbox.kind')}>
            <Select
              allowClear
              style={{ width: 180 }}
              value={kind}
              data-testid="outbox-kind"
              onChange={(v: string | undefined) => {
                setKind(v);
                setPage((p) => ({ ...p, current: 1 }));
              }}
              options={KINDS.map((k) => ({ value: k, label: names.code('reports.outboxKind', k) }))}
            />
          </Form.Item>
          <Form.Item label={t('reports.outbox.status')}>
            <Select
              allowClear
              style={{ width: 140 }}
              value={status}
              data-testid="outbox-status"
              onChange={(v: string | undefined) => {
                setStatus(v);
                setPage((p) => ({ ...p, current: 1 }));
              }}
              options={STATUSES.map((s) => ({ value: s, label: names.code('reports.outboxStatus', s) }))}
            />
          </Form.Item>
        </Form>
      </Card>
      <Table<Notice>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 1100 }}
        data-testid="outbox-table"
        onRow={(n) => ({ 'data-testid': `outbox-row-${n.id}` }) as React.HTMLAttributes<HTMLElement>}
        pagination={{
          current: page.current,
          pageSize: page.size,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100, 200],
          showTotal: (total) => t('common.total', { total }),
          onChange: (current, size) => setPage({ current: size !== page.size ? 1 : current, size }),
        }}
      />
    </div>
  );
}
