import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { HeldAlert } from './HeldAlert.tsx';
import { Button, Card, Checkbox, Col, Input, Row, Segmented, Select, Space, Statistic, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { api } from '../../api/client.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { MessageDrawer } from './MessageDrawer.tsx';
import { MessageStatusTag, useCodeLabel, yuanOfMilliFen } from './shared.tsx';

const STATUSES = ['QUEUED', 'SUBMITTED', 'DELIVERED', 'FAILED', 'EXPIRED', 'HELD', 'BLOCKED'] as const;
const PAGE_SIZE = 50;
const RANGES = [1, 7, 30] as const;
const DAY_MS = 86_400_000;

interface Message {
  id: string;
  phoneMasked: string;
  text: string;
  status: string;
  segments: number;
  costMilliFen: number;
  failureCode: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

interface Stats {
  byStatus: Record<string, number>;
  messages: number;
  segments: number;
  deliveryRate: number | null;
  latencyMs: { p50: number | null; p99: number | null };
}

const shanghaiDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The last `days` Shanghai calendar days, today included. */
function lastDays(days: number): { from: string; to: string } {
  const now = Date.now();
  return { from: shanghaiDay.format(new Date(now - (days - 1) * DAY_MS)), to: shanghaiDay.format(new Date(now)) };
}

function StatsCards({ days }: { days: number }) {
  const t = useT();
  const { data } = useLoad((signal) => api.get<Stats>('/sms/stats', lastDays(days), { signal }), [days]);
  const pending = data ? data.byStatus.QUEUED! + data.byStatus.SUBMITTED! + data.byStatus.HELD! : 0;
  const cards: { key: string; title: string; value: string | number }[] = [
    { key: 'total', title: t('sms.stats.total'), value: data?.messages ?? 0 },
    { key: 'delivered', title: t('sms.stats.delivered'), value: data?.byStatus.DELIVERED ?? 0 },
    { key: 'failed', title: t('sms.stats.failed'), value: (data?.byStatus.FAILED ?? 0) + (data?.byStatus.EXPIRED ?? 0) },
    { key: 'pending', title: t('sms.stats.pending'), value: pending },
    { key: 'rate', title: t('sms.stats.rate'), value: data?.deliveryRate === null || !data ? '—' : `${(data.deliveryRate * 100).toFixed(2)}%` },
    { key: 'latency', title: t('sms.stats.latency'), value: data?.latencyMs.p50 == null ? '—' : `${data.latencyMs.p50} / ${data.latencyMs.p99 ?? '—'} ms` },
  ];
  return (
    <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
      {cards.map((c) => (
        <Col key={c.key} xs={12} md={8} xl={4}>
          <Card size="small" data-testid={`sms-stat-${c.key}`}>
            <Statistic title={c.title} value={c.value} />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

/** 短信记录: delivery statistics and every message in the outbox, newest first, with masked numbers; the number search goes by blind index on the server. */
export default function MessagesPage() {
  const t = useT();
  const label = useCodeLabel();
  const [days, setDays] = useState<number>(7);
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [phone, setPhone] = useState('');
  // The status page links here with ?inDoubt=1 when messages wait for an operator's decision.
  const [params] = useSearchParams();
  const [inDoubt, setInDoubt] = useState(params.get('inDoubt') === '1');
  const [page, setPage] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const { data, loading, reload } = useLoad(
    (signal) => api.get<{ items: Message[] }>('/sms/messages', { status, phone: phone || undefined, inDoubt: inDoubt || undefined, limit: PAGE_SIZE, offset: page * PAGE_SIZE }, { signal }),
    [status, phone, inDoubt, page],
  );
  const items = data?.items ?? [];

  const columns: TableColumnsType<Message> = [
    { title: t('sms.msg.createdAt'), dataIndex: 'createdAt', key: 'createdAt', width: 150, render: (v: string) => formatDateTime(v) },
    { title: t('sms.msg.phone'), dataIndex: 'phoneMasked', key: 'phone', width: 120, render: (v: string) => <span className="cf-mono">{v}</span> },
    { title: t('sms.msg.status'), dataIndex: 'status', key: 'status', width: 110, render: (v: string) => <MessageStatusTag status={v} /> },
    { title: t('sms.msg.text'), dataIndex: 'text', key: 'text', render: (v: string) => <Typography.Text ellipsis={{ tooltip: v }}>{v}</Typography.Text> },
    { title: t('sms.msg.segments'), dataIndex: 'segments', key: 'segments', width: 70, align: 'right' },
    { title: t('sms.msg.cost'), dataIndex: 'costMilliFen', key: 'cost', width: 100, align: 'right', render: (v: number) => yuanOfMilliFen(v) },
    { title: t('sms.msg.deliveredAt'), dataIndex: 'deliveredAt', key: 'deliveredAt', width: 150, render: (v: string | null) => (v ? formatDateTime(v) : '') },
    { title: t('sms.msg.failure'), dataIndex: 'failureCode', key: 'failure', width: 120 },
  ];

  return (
    <div data-testid="page-sms-messages">
      <PageHeader title={t('sms.menu.messages')}>
        <Segmented value={days} onChange={(v) => setDays(Number(v))} options={RANGES.map((d) => ({ value: d, label: t('sms.stats.days', { days: d }) }))} data-testid="sms-stats-range" />
      </PageHeader>
      <HeldAlert />
      <StatsCards days={days} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          value={status}
          onChange={(v: string | undefined) => {
            setStatus(v);
            setPage(0);
          }}
          placeholder={t('sms.msg.filterStatus')}
          options={STATUSES.map((s) => ({ value: s, label: label('sms.msgStatus', s) }))}
          style={{ width: 160 }}
          data-testid="sms-messages-status"
        />
        <Input.Search
          allowClear
          placeholder={t('sms.msg.filterPhone')}
          onSearch={(v) => {
            setPhone(v.trim());
            setPage(0);
          }}
          style={{ width: 200 }}
          data-testid="sms-messages-phone"
        />
        <Checkbox
          checked={inDoubt}
          onChange={(e) => {
            setInDoubt(e.target.checked);
            setPage(0);
          }}
          data-testid="sms-messages-in-doubt"
        >
          {t('sms.msg.inDoubt')}
        </Checkbox>
      </Space>
      <Table<Message>
        rowKey="id"
        size="small"
        loading={loading}
        columns={columns}
        dataSource={items}
        pagination={false}
        scroll={{ x: 1100 }}
        onRow={(m) => ({ onClick: () => setOpen(m.id), style: { cursor: 'pointer' }, 'data-testid': `sms-message-row-${m.id}` }) as React.HTMLAttributes<HTMLElement>}
      />
      <MessageDrawer id={open} onClose={() => setOpen(null)} onChanged={reload} />
      <Space style={{ marginTop: 12 }}>
        <Button disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
          {t('sms.msg.newer')}
        </Button>
        <Button disabled={items.length < PAGE_SIZE} onClick={() => setPage((p) => p + 1)}>
          {t('sms.msg.older')}
        </Button>
      </Space>
    </div>
  );
}
