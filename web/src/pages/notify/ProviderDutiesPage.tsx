import { useState } from 'react';
import { Button, Card, Checkbox, DatePicker, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { api } from '../../api/client.ts';
import { useAuth, useUser } from '../../auth/AuthContext.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useFeedback, useSubmit } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/time.ts';

interface Totals {
  messages: number;
  billedSegments: number;
  amountFen: number;
}

interface HandOver extends Totals {
  id: string;
  handedOverOn: string;
  submittedAt: string;
  submittedByName: string;
  submittedByOrgKind: string;
  authorityCaused: boolean;
  replacedAt: string | null;
  replacedByName: string | null;
  current: Totals;
}

interface UsageListMonth {
  provider: string;
  month: string;
  dueOn: string;
  daysLate: number;
  handOver: HandOver | null;
}

interface Fault {
  id: string;
  faultNo: string;
  provider: string;
  reportedAt: string;
  summary: string;
  details: string | null;
  arriveWithinMinutes: number;
  clearWithinMinutes: number;
  arrivedAt: string | null;
  clearedAt: string | null;
  assessedPercent: string | null;
  overMinutes: number;
  overTime: boolean;
  done: boolean;
}

const RED = { color: '#cf1322' } as const;
const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
const sameTotals = (a: Totals, b: Totals) => a.messages === b.messages && a.billedSegments === b.billedSegments && a.amountFen === b.amountFen;

/** Hand-over of a month's list: the provider hands it over now; the authority gives the day a paper list arrived, or corrects one. */
function HandOverModal({ target, provider, onClose }: { target: { month: string; handOver: HandOver | null } | null; provider: string; onClose: (saved: boolean) => void }) {
  const t = useT();
  const user = useUser();
  const [form] = Form.useForm<{ handedOverOn?: Dayjs; authorityCaused?: boolean }>();
  const { showSuccess } = useFeedback();
  const { busy, submit } = useSubmit(() => onClose(true));
  const isProvider = user.orgKind === 'SMS_PROVIDER';
  const save = () =>
    submit(async () => {
      const v = await form.validateFields();
      const fields = isProvider ? {} : { handedOverOn: v.handedOverOn?.format('YYYY-MM-DD'), authorityCaused: v.authorityCaused ?? false };
      if (target?.handOver) await api.put(`/sms/duties/usage-lists/${target.handOver.id}`, fields);
      else await api.post('/sms/duties/usage-lists', { provider, month: target?.month, ...fields });
      showSuccess(t('sms.duty.list.saved'));
    });
  return (
    <Modal
      open={target !== null}
      title={t(target?.handOver ? 'sms.duty.list.replace' : 'sms.duty.list.record', { month: target?.month ?? '' })}
      onOk={save}
      onCancel={() => onClose(false)}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'duty-list-save' }}
    >
      {isProvider ? (
        <Typography.Paragraph>{t('sms.duty.list.providerHint')}</Typography.Paragraph>
      ) : (
        <Form
          form={form}
          layout="vertical"
          name="duty-list"
          preserve={false}
          initialValues={{ handedOverOn: target?.handOver ? dayjs(target.handOver.handedOverOn) : dayjs(), authorityCaused: target?.handOver?.authorityCaused ?? false }}
        >
          <Form.Item name="handedOverOn" label={t('sms.duty.list.handedOverOn')} extra={t('sms.duty.list.dateHint')} rules={[{ required: true }]}>
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} data-testid="duty-list-date" />
          </Form.Item>
          <Form.Item name="authorityCaused" valuePropName="checked">
            <Checkbox data-testid="duty-list-ours">{t('sms.duty.list.authorityCaused')}</Checkbox>
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

function UsageListsCard({ provider }: { provider: string }) {
  const t = useT();
  const user = useUser();
  const { can } = useAuth();
  const mayAct = user.orgKind === 'SMS_PROVIDER' || can('sms.manage');
  const [target, setTarget] = useState<{ month: string; handOver: HandOver | null } | null>(null);
  const { data, loading, reload } = useLoad((signal) => api.get<{ items: UsageListMonth[] }>('/sms/duties/usage-lists', { provider }, { signal }), [provider]);
  const columns: TableColumnsType<UsageListMonth> = [
    { title: t('sms.duty.list.month'), dataIndex: 'month' },
    { title: t('sms.duty.list.dueOn'), dataIndex: 'dueOn' },
    { title: t('sms.duty.list.handedOverOn'), key: 'on', render: (_, r) => r.handOver?.handedOverOn ?? <Tag color="warning">{t('sms.duty.list.missing')}</Tag> },
    {
      title: t('sms.duty.list.daysLate'),
      key: 'late',
      align: 'right',
      render: (_, r) =>
        r.daysLate === 0 ? (
          0
        ) : (
          <Space>
            <span style={r.handOver?.authorityCaused ? undefined : RED} data-testid={`duty-late-${r.month}`}>
              {r.daysLate}
            </span>
            {r.handOver?.authorityCaused && <Tag>{t('sms.duty.list.ours')}</Tag>}
          </Space>
        ),
    },
    { title: t('sms.stmt.messages'), key: 'messages', align: 'right', render: (_, r) => r.handOver?.messages ?? '—' },
    { title: t('sms.stmt.billedSegments'), key: 'segments', align: 'right', render: (_, r) => r.handOver?.billedSegments ?? '—' },
    {
      title: t('sms.stmt.amount'),
      key: 'amount',
      align: 'right',
      render: (_, r) =>
        r.handOver ? (
          <Space>
            {yuan(r.handOver.amountFen)}
            {!sameTotals(r.handOver, r.handOver.current) && <Tag color="orange" title={`${yuan(r.handOver.current.amountFen)}`}>{t('sms.duty.list.changed')}</Tag>}
          </Space>
        ) : (
          '—'
        ),
    },
    {
      title: t('sms.duty.list.by'),
      key: 'by',
      render: (_, r) => (r.handOver ? `${r.handOver.submittedByName}${r.handOver.replacedByName ? ` / ${t('sms.duty.list.replacedBy', { name: r.handOver.replacedByName })}` : ''}` : ''),
    },
    {
      title: '',
      key: 'actions',
      render: (_, r) =>
        !r.handOver && mayAct ? (
          <Button size="small" onClick={() => setTarget(r)} data-testid={`duty-list-record-${r.month}`}>
            {t('sms.duty.list.recordAction')}
          </Button>
        ) : r.handOver && can('sms.manage') && user.orgKind !== 'SMS_PROVIDER' ? (
          <Button size="small" onClick={() => setTarget(r)}>
            {t('sms.duty.list.replaceAction')}
          </Button>
        ) : null,
    },
  ];
  return (
    <Card title={t('sms.duty.lists')} extra={<Typography.Text type="secondary">{t('sms.duty.list.rule')}</Typography.Text>}>
      <Table<UsageListMonth> rowKey="month" size="small" loading={loading} columns={columns} dataSource={data?.items ?? []} pagination={false} data-testid="duty-lists" />
      <HandOverModal
        target={target}
        provider={provider}
        onClose={(saved) => {
          setTarget(null);
          if (saved) reload();
        }}
      />
    </Card>
  );
}

type FaultAction = { kind: 'report' } | { kind: 'progress'; fault: Fault } | { kind: 'assess'; fault: Fault };

function FaultModal({ action, provider, onClose }: { action: FaultAction | null; provider: string; onClose: (saved: boolean) => void }) {
  const t = useT();
  const [form] = Form.useForm<{ reportedAt?: Dayjs; summary?: string; details?: string; arrivedAt?: Dayjs; clearedAt?: Dayjs; ratePercent?: string }>();
  const { showSuccess } = useFeedback();
  const { busy, submit } = useSubmit(() => onClose(true));
  const save = () =>
    submit(async () => {
      const v = await form.validateFields();
      if (action?.kind === 'report') await api.post('/sms/duties/faults', { provider, reportedAt: v.reportedAt!.toISOString(), summary: v.summary, ...(v.details ? { details: v.details } : {}) });
      if (action?.kind === 'progress')
        await api.post(`/sms/duties/faults/${action.fault.id}/progress`, { ...(v.arrivedAt ? { arrivedAt: v.arrivedAt.toISOString() } : {}), ...(v.clearedAt ? { clearedAt: v.clearedAt.toISOString() } : {}) });
      if (action?.kind === 'assess') await api.post(`/sms/duties/faults/${action.fault.id}/assess`, { ratePercent: v.ratePercent });
      showSuccess(t('sms.duty.fault.saved'));
    });
  const when = { showTime: { format: 'HH:mm' }, format: 'YYYY-MM-DD HH:mm', style: { width: '100%' }, disabledDate: (d: Dayjs) => d.isAfter(dayjs(), 'day') };
  const title = action === null ? '' : action.kind === 'report' ? t('sms.duty.fault.report') : t(action.kind === 'progress' ? 'sms.duty.fault.progressTitle' : 'sms.duty.fault.assessTitle', { faultNo: action.fault.faultNo });
  const initial = action?.kind === 'progress' ? { arrivedAt: action.fault.arrivedAt ? dayjs(action.fault.arrivedAt) : undefined, clearedAt: action.fault.clearedAt ? dayjs(action.fault.clearedAt) : undefined } : { reportedAt: dayjs() };
  return (
    <Modal open={action !== null} title={title} onOk={save} onCancel={() => onClose(false)} confirmLoading={busy} destroyOnHidden okButtonProps={{ 'data-testid': 'duty-fault-save' }}>
      <Form form={form} layout="vertical" name="duty-fault" preserve={false} initialValues={initial}>
        {action?.kind === 'report' && (
          <>
            <Form.Item name="reportedAt" label={t('sms.duty.fault.reportedAt')} rules={[{ required: true }]}>
              <DatePicker {...when} data-testid="duty-fault-reported" />
            </Form.Item>
            <Form.Item name="summary" label={t('sms.duty.fault.summary')} rules={[{ required: true, whitespace: true, max: 200 }]}>
              <Input data-testid="duty-fault-summary" />
            </Form.Item>
            <Form.Item name="details" label={t('sms.duty.fault.details')} rules={[{ max: 2000 }]}>
              <Input.TextArea rows={3} />
            </Form.Item>
          </>
        )}
        {action?.kind === 'progress' && (
          <>
            <Typography.Paragraph type="secondary">{t('sms.duty.fault.limits', { arrive: action.fault.arriveWithinMinutes, clear: action.fault.clearWithinMinutes })}</Typography.Paragraph>
            <Form.Item name="arrivedAt" label={t('sms.duty.fault.arrivedAt')}>
              <DatePicker {...when} data-testid="duty-fault-arrived" />
            </Form.Item>
            <Form.Item name="clearedAt" label={t('sms.duty.fault.clearedAt')}>
              <DatePicker {...when} data-testid="duty-fault-cleared" />
            </Form.Item>
          </>
        )}
        {action?.kind === 'assess' && (
          <Form.Item name="ratePercent" label={t('sms.duty.fault.rate')} extra={t('sms.duty.fault.rateHint')} rules={[{ required: true, pattern: /^[0-9]+(\.[0-9]+)?$/ }]}>
            <Input suffix="%" data-testid="duty-fault-rate" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function FaultsCard({ provider }: { provider: string }) {
  const t = useT();
  const user = useUser();
  const { can } = useAuth();
  const isProvider = user.orgKind === 'SMS_PROVIDER';
  const manages = !isProvider && can('sms.manage');
  const [action, setAction] = useState<FaultAction | null>(null);
  const { data, loading, reload } = useLoad((signal) => api.get<{ items: Fault[] }>('/sms/duties/faults', { provider }, { signal }), [provider]);
  const columns: TableColumnsType<Fault> = [
    { title: t('sms.duty.fault.no'), dataIndex: 'faultNo' },
    { title: t('sms.duty.fault.reportedAt'), dataIndex: 'reportedAt', render: (v: string) => formatDateTime(v).slice(0, 16) },
    { title: t('sms.duty.fault.summary'), dataIndex: 'summary', render: (v: string, f) => <span title={f.details ?? undefined}>{v}</span> },
    { title: t('sms.duty.fault.arrivedAt'), dataIndex: 'arrivedAt', render: (v: string | null) => (v ? formatDateTime(v).slice(0, 16) : '—') },
    { title: t('sms.duty.fault.clearedAt'), dataIndex: 'clearedAt', render: (v: string | null) => (v ? formatDateTime(v).slice(0, 16) : '—') },
    {
      title: t('sms.duty.fault.over'),
      key: 'over',
      align: 'right',
      render: (_, f) =>
        f.overTime ? (
          <span style={RED} data-testid={`duty-over-${f.faultNo}`}>
            {t('sms.duty.fault.overMinutes', { minutes: f.overMinutes })}
            {f.done ? '' : ` (${t('sms.duty.fault.open')})`}
          </span>
        ) : (
          t('sms.duty.fault.inTime')
        ),
    },
    { title: t('sms.duty.fault.rate'), dataIndex: 'assessedPercent', align: 'right', render: (v: string | null) => (v ? `${v}%` : '—') },
    {
      title: '',
      key: 'actions',
      render: (_, f) => (
        <Space>
          {(isProvider || manages) && (
            <Button size="small" onClick={() => setAction({ kind: 'progress', fault: f })}>
              {t('sms.duty.fault.progress')}
            </Button>
          )}
          {manages && f.overTime && (
            <Button size="small" onClick={() => setAction({ kind: 'assess', fault: f })}>
              {t('sms.duty.fault.assess')}
            </Button>
          )}
        </Space>
      ),
    },
  ];
  return (
    <Card
      title={t('sms.duty.faults')}
      extra={
        manages && (
          <Button type="primary" onClick={() => setAction({ kind: 'report' })} data-testid="duty-fault-new">
            {t('sms.duty.fault.report')}
          </Button>
        )
      }
    >
      <Table<Fault> rowKey="id" size="small" loading={loading} columns={columns} dataSource={data?.items ?? []} pagination={{ pageSize: 20, hideOnSinglePage: true }} data-testid="duty-faults" />
      <FaultModal
        action={action}
        provider={provider}
        onClose={(saved) => {
          setAction(null);
          if (saved) reload();
        }}
      />
    </Card>
  );
}

/** 服务商履约: the provider's monthly usage-list hand-overs and the fault register (seed 003 §5.6, §5.7). */
export default function ProviderDutiesPage() {
  const t = useT();
  const { data } = useLoad((signal) => api.get<{ items: { provider: string }[] }>('/sms/duties/providers', undefined, { signal }), []);
  const [chosen, setChosen] = useState<string | null>(null);
  const provider = chosen ?? data?.items[0]?.provider ?? null;
  return (
    <>
      <PageHeader title={t('sms.menu.duties')} hint={t('sms.link.duties')}>
        <Select
          style={{ minWidth: 200 }}
          value={provider}
          onChange={setChosen}
          options={(data?.items ?? []).map((p) => ({ value: p.provider, label: p.provider }))}
          aria-label={t('sms.duty.provider')}
          data-testid="duty-provider"
        />
      </PageHeader>
      {data && provider === null && <Typography.Paragraph type="secondary">{t('sms.duty.noProvider')}</Typography.Paragraph>}
      {provider !== null && (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <UsageListsCard provider={provider} />
          <FaultsCard provider={provider} />
        </Space>
      )}
    </>
  );
}
