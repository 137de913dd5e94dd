import { useState } from 'react';
import { Alert, Button, Descriptions, Drawer, Input, Popconfirm, Space, Table, Timeline, Typography } from 'antd';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useFeedback, useSubmit } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { MessageStatusTag, useCodeLabel, yuanOfMilliFen } from './shared.tsx';

interface Attempt {
  id: string;
  provider: string;
  startedAt: string;
  outcome: string | null;
  smscIds: string[];
  errorCode: string | null;
  finishedAt: string | null;
}

interface Receipt {
  segment: number;
  smscMessageId: string;
  stat: string;
  errorCode: string | null;
  receivedAt: string;
}

interface MessageDetail {
  id: string;
  phoneMasked: string;
  text: string;
  status: string;
  category: string;
  segments: number;
  costMilliFen: number;
  provider: string | null;
  failureCode: string | null;
  createdAt: string;
  submittedAt: string | null;
  deliveredAt: string | null;
  inDoubt: boolean;
  attemptList: Attempt[];
  receipts: Receipt[];
  events: { at: string; kind: string; detail: string }[];
}

type Decision = 'resend' | 'close';

/** The operator's decision on a message in doubt, with what the provider said (kept in the audit trail). */
function InDoubtPanel({ id, onDecided }: { id: string; onDecided: () => void }) {
  const t = useT();
  const { showSuccess } = useFeedback();
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState<Decision | null>(null);
  const { busy, submit } = useSubmit(onDecided);
  const ready = reason.trim().length >= 2;

  const decide = (decision: Decision) => {
    setPending(decision);
    void submit(async () => {
      await api.post(`/sms/messages/${id}/in-doubt`, { decision, reason: reason.trim() });
      showSuccess(t(decision === 'resend' ? 'sms.doubt.resent' : 'sms.doubt.closed'));
    });
  };

  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="sms-in-doubt"
      title={t('sms.doubt.title')}
      description={
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text>{t('sms.doubt.explain')}</Typography.Text>
          <Input.TextArea rows={2} maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('sms.doubt.reason')} data-testid="sms-in-doubt-reason" />
          <Space wrap>
            <Popconfirm title={t('sms.doubt.resendConfirm')} onConfirm={() => decide('resend')} okText={t('sms.doubt.resend')} okButtonProps={{ 'data-testid': 'sms-in-doubt-resend-ok' }}>
              <Button type="primary" disabled={!ready} loading={busy && pending === 'resend'} data-testid="sms-in-doubt-resend">
                {t('sms.doubt.resend')}
              </Button>
            </Popconfirm>
            <Popconfirm title={t('sms.doubt.closeConfirm')} onConfirm={() => decide('close')} okText={t('sms.doubt.close')} okButtonProps={{ 'data-testid': 'sms-in-doubt-close-ok' }}>
              <Button danger disabled={!ready} loading={busy && pending === 'close'} data-testid="sms-in-doubt-close">
                {t('sms.doubt.close')}
              </Button>
            </Popconfirm>
          </Space>
        </Space>
      }
    />
  );
}

/** The event's first word in words (a category, an attempt outcome, a final status); codes after it stay codes, as operators search by them. */
function eventDetail(e: { kind: string; detail: string }, label: (prefix: string, code: string) => string): string {
  const prefix = { CREATED: 'sms.category', ATTEMPT_SETTLED: 'sms.outcome', FINISHED: 'sms.msgStatus' }[e.kind];
  if (!prefix) return e.detail;
  const [first = '', ...rest] = e.detail.split(' ');
  return [label(prefix, first), ...rest].join(' ');
}

/** One message: its status and cost, every submit attempt, the receipts per segment and the timeline. */
export function MessageDrawer({ id, onClose, onChanged }: { id: string | null; onClose: () => void; onChanged: () => void }) {
  const t = useT();
  const label = useCodeLabel();
  const { can } = useAuth();
  const { data, reload } = useLoad((signal) => (id ? api.get<MessageDetail>(`/sms/messages/${id}`, undefined, { signal }) : Promise.resolve(null)), [id]);
  const m = data && data.id === id ? data : null;

  return (
    <Drawer open={id !== null} onClose={onClose} size={720} title={t('sms.detail.title')} data-testid="sms-message-drawer" destroyOnHidden>
      {m && (
        <>
          {m.inDoubt && can('sms.manage') && (
            <InDoubtPanel
              id={m.id}
              onDecided={() => {
                reload();
                onChanged();
              }}
            />
          )}
          {m.inDoubt && !can('sms.manage') && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('sms.doubt.title')} description={t('sms.doubt.explain')} />}
          <Descriptions size="small" column={2} bordered style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('sms.msg.phone')}>
              <span className="cf-mono">{m.phoneMasked}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('sms.msg.status')}>
              <span data-testid="sms-detail-status">
                <MessageStatusTag status={m.status} />
              </span>
              {m.failureCode && <Typography.Text type="secondary">{m.failureCode}</Typography.Text>}
            </Descriptions.Item>
            <Descriptions.Item label={t('sms.msg.text')} span={2}>
              {m.text}
            </Descriptions.Item>
            <Descriptions.Item label={t('sms.msg.segments')}>{m.segments}</Descriptions.Item>
            <Descriptions.Item label={t('sms.msg.cost')}>{yuanOfMilliFen(m.costMilliFen)}</Descriptions.Item>
            <Descriptions.Item label={t('sms.msg.createdAt')}>{formatDateTime(m.createdAt)}</Descriptions.Item>
            <Descriptions.Item label={t('sms.msg.deliveredAt')}>{m.deliveredAt ? formatDateTime(m.deliveredAt) : '—'}</Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5}>{t('sms.detail.attempts')}</Typography.Title>
          <Table<Attempt>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={m.attemptList}
            style={{ marginBottom: 16 }}
            data-testid="sms-detail-attempts"
            columns={[
              { title: t('sms.detail.startedAt'), dataIndex: 'startedAt', key: 'startedAt', render: (v: string) => formatDateTime(v) },
              { title: t('sms.detail.provider'), dataIndex: 'provider', key: 'provider' },
              { title: t('sms.detail.outcome'), key: 'outcome', render: (_: unknown, a) => label('sms.outcome', a.outcome ?? 'OPEN') },
              { title: t('sms.detail.error'), dataIndex: 'errorCode', key: 'error', render: (v: string | null) => v ?? '' },
              { title: t('sms.detail.smscIds'), dataIndex: 'smscIds', key: 'ids', render: (v: string[]) => <span className="cf-mono">{v.join(', ')}</span> },
            ]}
          />
          <Typography.Title level={5}>{t('sms.detail.receipts')}</Typography.Title>
          <Table<Receipt>
            rowKey={(r) => `${r.smscMessageId}-${r.receivedAt}`}
            size="small"
            pagination={false}
            dataSource={m.receipts}
            style={{ marginBottom: 16 }}
            columns={[
              { title: t('sms.detail.segment'), dataIndex: 'segment', key: 'segment', width: 60 },
              { title: t('sms.detail.smscIds'), dataIndex: 'smscMessageId', key: 'id', render: (v: string) => <span className="cf-mono">{v}</span> },
              { title: t('sms.detail.stat'), dataIndex: 'stat', key: 'stat' },
              { title: t('sms.detail.receivedAt'), dataIndex: 'receivedAt', key: 'at', render: (v: string) => formatDateTime(v) },
            ]}
          />
          <Typography.Title level={5}>{t('sms.detail.timeline')}</Typography.Title>
          <Timeline items={m.events.map((e, i) => ({ key: i, content: `${formatDateTime(e.at)} · ${label('sms.event', e.kind)} · ${eventDetail(e, label)}` }))} />
        </>
      )}
    </Drawer>
  );
}
