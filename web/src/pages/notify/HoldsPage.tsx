import { useState, type ReactNode } from 'react';
import { Button, Card, Col, Row, Segmented, Space, Statistic, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT, type TFunction } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { HeldAlert } from './HeldAlert.tsx';

interface Hit {
  word: string;
  start: number;
  end: number;
}

interface Hold {
  id: string;
  phoneMasked: string;
  text: string;
  senderOrgName: string;
  hits: Hit[];
  listVersion: number;
  createdAt: string;
  ageSeconds: number;
}

interface Stats {
  held: number;
  pending: number;
  released: number;
  rejected: number;
  byWord: { word: string; messages: number }[];
  bySender: { orgId: string; orgName: string; messages: number }[];
  byDay: { date: string; messages: number }[];
}

const RANGES = [1, 7, 30] as const;
const DAY_MS = 86_400_000;
const shanghaiDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
const MARK = { background: '#ffd666', padding: 0 } as const;

/** The text with every hit's span marked; overlapping hits are merged into one mark. */
function Highlighted({ text, hits }: { text: string; hits: Hit[] }) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const h of [...hits].sort((a, b) => a.start - b.start)) {
    if (h.end <= at) continue;
    const start = Math.max(h.start, at);
    if (start > at) parts.push(<span key={`t${at}`}>{text.slice(at, start)}</span>);
    parts.push(
      <mark key={`m${start}`} style={MARK} title={h.word}>
        {text.slice(start, h.end)}
      </mark>,
    );
    at = h.end;
  }
  if (at < text.length) parts.push(<span key={`t${at}`}>{text.slice(at)}</span>);
  return <span style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{parts}</span>;
}

function ageText(seconds: number, t: TFunction): string {
  if (seconds < 60) return t('sms.hold.ageSeconds', { n: seconds });
  if (seconds < 3600) return t('sms.hold.ageMinutes', { n: Math.floor(seconds / 60) });
  return t('sms.hold.ageHours', { n: Math.floor(seconds / 3600) });
}

function HoldStats() {
  const t = useT();
  const [days, setDays] = useState<number>(7);
  const range = { from: shanghaiDay.format(new Date(Date.now() - (days - 1) * DAY_MS)), to: shanghaiDay.format(new Date()) };
  const { data } = useLoad((signal) => api.get<Stats>('/sms/holds/stats', range, { signal }), [days]);
  const cards = [
    { key: 'held', title: t('sms.hold.count.held'), value: data?.held ?? 0 },
    { key: 'pending', title: t('sms.hold.count.pending'), value: data?.pending ?? 0 },
    { key: 'released', title: t('sms.hold.count.released'), value: data?.released ?? 0 },
    { key: 'rejected', title: t('sms.hold.count.rejected'), value: data?.rejected ?? 0 },
  ];
  const small = (title: string, column: string, rows: { key: string; label: string; messages: number }[], testId: string) => (
    <Col xs={24} md={8}>
      <Card size="small" title={title} data-testid={testId}>
        <Table rowKey="key" size="small" pagination={false} dataSource={rows} columns={[{ title: column, dataIndex: 'label', key: 'label' }, { title: t('sms.hold.messages'), dataIndex: 'messages', key: 'messages', align: 'right', width: 80 }]} />
      </Card>
    </Col>
  );
  return (
    <Card size="small" title={t('sms.hold.stats')} style={{ marginTop: 16 }} extra={<Segmented value={days} onChange={(v) => setDays(Number(v))} options={RANGES.map((d) => ({ value: d, label: t('sms.stats.days', { days: d }) }))} />}>
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        {cards.map((c) => (
          <Col key={c.key} xs={12} md={6}>
            <Statistic title={c.title} value={c.value} data-testid={`sms-hold-stat-${c.key}`} />
          </Col>
        ))}
      </Row>
      <Row gutter={[12, 12]}>
        {small(t('sms.hold.byWord'), t('sms.hold.words'), (data?.byWord ?? []).map((w) => ({ key: w.word, label: w.word, messages: w.messages })), 'sms-hold-by-word')}
        {small(t('sms.hold.bySender'), t('sms.hold.sender'), (data?.bySender ?? []).map((s) => ({ key: s.orgId, label: s.orgName, messages: s.messages })), 'sms-hold-by-sender')}
        {small(t('sms.hold.byDay'), t('sms.stmt.date'), (data?.byDay ?? []).map((d) => ({ key: d.date, label: d.date, messages: d.messages })), 'sms-hold-by-day')}
      </Row>
    </Card>
  );
}

/** 敏感词拦截: messages held for sensitive words with the words marked, release / reject, and statistics. */
export default function HoldsPage() {
  const t = useT();
  const { can } = useAuth();
  const { showError, showSuccess } = useFeedback();
  const [busy, setBusy] = useState<string | null>(null);
  const { data, loading, reload } = useLoad((signal) => api.get<{ total: number; items: Hold[] }>('/sms/holds', { limit: 200 }, { signal }), []);
  const mayDecide = can('sms.manage');

  const decide = async (id: string, decision: 'release' | 'reject') => {
    setBusy(id);
    try {
      await api.post(`/sms/messages/${id}/${decision}`);
      showSuccess(t(decision === 'release' ? 'sms.hold.released' : 'sms.hold.rejected'));
      reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(null);
    }
  };

  const columns: TableColumnsType<Hold> = [
    { title: t('sms.msg.createdAt'), dataIndex: 'createdAt', key: 'createdAt', width: 150, render: (v: string) => formatDateTime(v) },
    { title: t('sms.hold.age'), dataIndex: 'ageSeconds', key: 'age', width: 90, render: (v: number) => ageText(v, t) },
    { title: t('sms.msg.phone'), dataIndex: 'phoneMasked', key: 'phone', width: 120, render: (v: string) => <span className="cf-mono">{v}</span> },
    { title: t('sms.hold.sender'), dataIndex: 'senderOrgName', key: 'sender', width: 160 },
    { title: t('sms.msg.text'), key: 'text', render: (_: unknown, m) => <Highlighted text={m.text} hits={m.hits} /> },
    { title: t('sms.hold.words'), key: 'words', width: 160, render: (_: unknown, m) => <Typography.Text>{[...new Set(m.hits.map((h) => h.word))].join('、')}</Typography.Text> },
    {
      title: '',
      key: 'actions',
      width: 150,
      render: (_: unknown, m) =>
        mayDecide ? (
          <Space>
            <Button size="small" type="primary" loading={busy === m.id} onClick={() => void decide(m.id, 'release')} data-testid={`sms-hold-release-${m.id}`}>
              {t('sms.hold.release')}
            </Button>
            <Button size="small" danger loading={busy === m.id} onClick={() => void decide(m.id, 'reject')} data-testid={`sms-hold-reject-${m.id}`}>
              {t('sms.hold.reject')}
            </Button>
          </Space>
        ) : null,
    },
  ];

  return (
    <div data-testid="page-sms-holds">
      <PageHeader title={t('sms.menu.holds')} />
      <HeldAlert />
      <div data-testid="sms-holds-table">
        <Table<Hold> rowKey="id" size="small" loading={loading} columns={columns} dataSource={data?.items ?? []} pagination={false} scroll={{ x: 1100 }} locale={{ emptyText: t('sms.hold.none') }} />
      </div>
      <HoldStats />
    </div>
  );
}
