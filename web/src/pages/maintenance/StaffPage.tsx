import { useState } from 'react';
import { Alert, AutoComplete, Button, Card, DatePicker, Empty, Form, Input, InputNumber, Modal, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, SafetyCertificateOutlined, TeamOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router-dom';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api/client.ts';
import { useFeedback, useSubmit } from '../../components/feedback.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { useLabel } from './shared.tsx';

interface Certificate {
  id: string;
  kind: string;
  number: string;
  issuedOn: string;
  expiresOn: string | null;
  valid: boolean;
}
interface Engineer {
  id: string;
  username: string | null;
  nameMasked: string;
  phoneMasked: string | null;
  active: boolean;
  certificates: Certificate[];
}
interface Staff {
  contractId: string;
  requirement: { minEngineers: number; certified: { kind: string; count: number }[] } | null;
  check: { engineers: { required: number; actual: number }; certified: { kind: string; required: number; actual: number }[]; met: boolean } | null;
  mayManage: boolean;
  mayRequire: boolean;
  engineers: Engineer[];
}
export interface Shift {
  id: string;
  postId: string;
  postName: string;
  engineerNameMasked: string;
  startsAt: string;
  startsAtLocal: string;
  endsAtLocal: string;
  checkInAtLocal: string | null;
  checkOutAtLocal: string | null;
  state: string;
  late: boolean;
  lateMinutes: number;
}
interface Post {
  id: string;
  name: string;
  siteName: string;
  pattern: string;
  dayStart: string;
  shiftHours: number;
  slots: { startsAt: string; startsAtLocal: string; endsAtLocal: string }[];
  uncoveredMinutes: number;
}
interface Roster {
  from: string;
  to: string;
  mayRoster: boolean;
  mayCreatePost: boolean;
  posts: Post[];
  shifts: Shift[];
  engineers: { id: string; nameMasked: string }[];
}

const KYLIN = 'KYLIN_OS';
export const SHIFT_COLORS: Record<string, string> = { UPCOMING: 'default', NOT_ARRIVED: 'warning', ON_DUTY: 'processing', DONE: 'success', ABSENT: 'error' };

/** 人员与排班: a contract's engineers with their certificates against its minimum staffing, and its on-site posts with the roster and attendance. */
export default function StaffPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const contracts = useLoad((signal) => api.get<{ items: { id: string; name: string }[] }>('/maintenance/contracts', undefined, { signal }), []);
  const contractId = params.get('contract') ?? contracts.data?.items[0]?.id;
  const tab = params.get('tab') ?? 'engineers';
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    setParams(next, { replace: true });
  };

  return (
    <div data-testid="page-maint-staff">
      <PageHeader title={t('maint.staff.title')} />
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Select
          style={{ width: '100%', maxWidth: 420 }}
          value={contractId}
          onChange={(v: string) => set('contract', v)}
          options={(contracts.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
          aria-label={t('maint.staff.contract')}
          data-testid="staff-contract"
        />
        {!contracts.loading && !contractId && <Empty description={t('maint.staff.noContract')} />}
        {contractId && (
          <Tabs
            activeKey={tab}
            onChange={(k) => set('tab', k)}
            items={[
              { key: 'engineers', label: t('maint.staff.tab.engineers'), children: <EngineersTab contractId={contractId} /> },
              { key: 'roster', label: t('maint.staff.tab.roster'), children: <RosterTab contractId={contractId} /> },
            ]}
          />
        )}
      </Space>
    </div>
  );
}

function EngineersTab({ contractId }: { contractId: string }) {
  const t = useT();
  const label = useLabel();
  const { showError } = useFeedback();
  const [dialog, setDialog] = useState<'requirement' | 'engineer' | { cert: string } | null>(null);
  const { data, loading, reload } = useLoad((signal) => api.get<Staff>('/maintenance/staff', { contractId }, { signal }), [contractId]);
  const done = () => {
    setDialog(null);
    reload();
  };
  const toggle = async (e: Engineer) => {
    try {
      await api.patch(`/maintenance/engineers/${e.id}`, { active: !e.active });
      reload();
    } catch (err) {
      showError(err);
    }
  };
  const kindName = (kind: string) => (kind === KYLIN ? label(`maint.staff.kind.${kind}`) : kind);

  const columns: TableColumnsType<Engineer> = [
    {
      title: t('maint.staff.name'),
      key: 'name',
      render: (_: unknown, e) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{e.nameMasked}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {[e.phoneMasked, e.username].filter(Boolean).join(' · ')}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('maint.staff.active'), key: 'active', width: 80, render: (_: unknown, e) => <Tag color={e.active ? 'green' : 'default'}>{e.active ? t('maint.staff.active') : t('maint.staff.inactive')}</Tag> },
    {
      title: t('maint.staff.certificates'),
      key: 'certs',
      render: (_: unknown, e) => (
        <Space wrap size={4}>
          {e.certificates.map((c) => (
            <Tag key={c.id} color={c.valid ? (c.kind === KYLIN ? 'blue' : 'default') : 'red'} data-testid={`cert-${c.number}`}>
              {`${kindName(c.kind)} ${c.number} · ${c.expiresOn ?? t('maint.staff.noExpiry')}${c.valid ? '' : ` · ${t('maint.staff.expired')}`}`}
            </Tag>
          ))}
        </Space>
      ),
    },
    ...(data?.mayManage
      ? [
          {
            key: 'actions',
            width: 120,
            render: (_: unknown, e: Engineer) => (
              <Space orientation="vertical" size={2}>
                <Button size="small" type="link" icon={<SafetyCertificateOutlined />} onClick={() => setDialog({ cert: e.id })} data-testid={`staff-add-cert-${e.id}`}>
                  {t('maint.staff.addCert')}
                </Button>
                <Button size="small" type="link" onClick={() => void toggle(e)}>
                  {e.active ? t('maint.staff.deactivate') : t('maint.staff.activate')}
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small" title={t('maint.staff.requirement')} extra={data?.mayRequire && <Button onClick={() => setDialog('requirement')}>{t('maint.staff.setRequirement')}</Button>} data-testid="staff-check">
        {data?.check ? (
          <Alert
            type={data.check.met ? 'success' : 'warning'}
            showIcon
            title={data.check.met ? t('maint.staff.met') : t('maint.staff.notMet')}
            description={
              <Space orientation="vertical" size={0}>
                <span>{t('maint.staff.engineersLine', { actual: data.check.engineers.actual, required: data.check.engineers.required })}</span>
                {data.check.certified.map((c) => (
                  <span key={c.kind}>{t('maint.staff.certLine', { kind: kindName(c.kind), actual: c.actual, required: c.required })}</span>
                ))}
              </Space>
            }
            data-met={String(data.check.met)}
          />
        ) : (
          <Typography.Text type="secondary">{t('maint.staff.noRequirement')}</Typography.Text>
        )}
      </Card>
      {data?.mayManage && (
        <Button type="primary" icon={<TeamOutlined />} onClick={() => setDialog('engineer')} data-testid="staff-add-engineer">
          {t('maint.staff.addEngineer')}
        </Button>
      )}
      <Table<Engineer>
        rowKey="id"
        size="small"
        loading={loading}
        columns={columns}
        dataSource={data?.engineers ?? []}
        pagination={false}
        scroll={{ x: 560 }}
        locale={{ emptyText: <Empty description={t('maint.staff.empty')} /> }}
        data-testid="staff-engineers"
      />
      <RequirementDialog open={dialog === 'requirement'} contractId={contractId} current={data?.requirement ?? null} onClose={() => setDialog(null)} onDone={done} />
      <EngineerDialog open={dialog === 'engineer'} contractId={contractId} onClose={() => setDialog(null)} onDone={done} />
      <CertificateDialog engineerId={typeof dialog === 'object' && dialog !== null ? dialog.cert : null} onClose={() => setDialog(null)} onDone={done} />
    </Space>
  );
}

function RequirementDialog({ open, contractId, current, onClose, onDone }: { open: boolean; contractId: string; current: Staff['requirement']; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ minEngineers: number; kylin: number }>();
  const { busy, submit } = useSubmit(onDone);
  const ok = () =>
    submit(async () => {
      const v = await form.validateFields();
      await api.put(`/maintenance/contracts/${contractId}/staffing`, { minEngineers: v.minEngineers, certified: v.kylin > 0 ? [{ kind: KYLIN, count: v.kylin }] : [] });
    });
  return (
    <Modal open={open} title={t('maint.staff.setRequirement')} onCancel={onClose} onOk={ok} confirmLoading={busy} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        name="staff-requirement"
        initialValues={{ minEngineers: current?.minEngineers ?? 20, kylin: current?.certified.find((c) => c.kind === KYLIN)?.count ?? 2 }}
      >
        <Form.Item name="minEngineers" label={t('maint.staff.minEngineers')} rules={[{ required: true }]}>
          <InputNumber min={0} max={10000} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="kylin" label={t('maint.staff.kylinCount')} rules={[{ required: true }]}>
          <InputNumber min={0} max={10000} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function EngineerDialog({ open, contractId, onClose, onDone }: { open: boolean; contractId: string; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ name: string; phone?: string; username?: string }>();
  const { busy, submit } = useSubmit(onDone);
  const ok = () =>
    submit(async () => {
      const v = await form.validateFields();
      await api.post('/maintenance/engineers', { contractId, name: v.name, phone: v.phone || null, username: v.username || null });
      form.resetFields();
    });
  return (
    <Modal open={open} title={t('maint.staff.addEngineer')} onCancel={onClose} onOk={ok} confirmLoading={busy} destroyOnHidden data-testid="staff-engineer-dialog">
      <Form form={form} layout="vertical" name="staff-engineer">
        <Form.Item name="name" label={t('maint.staff.name')} rules={[{ required: true, whitespace: true, max: 20 }]}>
          <Input maxLength={20} data-testid="staff-engineer-name" />
        </Form.Item>
        <Form.Item name="phone" label={t('maint.staff.phone')}>
          <Input maxLength={20} inputMode="tel" data-testid="staff-engineer-phone" />
        </Form.Item>
        <Form.Item name="username" label={t('maint.staff.account')} extra={t('maint.staff.accountHint')}>
          <Input maxLength={64} data-testid="staff-engineer-username" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CertificateDialog({ engineerId, onClose, onDone }: { engineerId: string | null; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const label = useLabel();
  const [form] = Form.useForm<{ kind: string; number: string; issuedOn: Dayjs; expiresOn?: Dayjs | null }>();
  const { busy, submit } = useSubmit(onDone);
  const ok = () =>
    submit(async () => {
      const v = await form.validateFields();
      await api.post(`/maintenance/engineers/${engineerId}/certificates`, {
        kind: v.kind.trim(),
        number: v.number.trim(),
        issuedOn: v.issuedOn.format('YYYY-MM-DD'),
        expiresOn: v.expiresOn ? v.expiresOn.format('YYYY-MM-DD') : null,
      });
      form.resetFields();
    });
  return (
    <Modal open={engineerId !== null} title={t('maint.staff.addCert')} onCancel={onClose} onOk={ok} confirmLoading={busy} destroyOnHidden data-testid="staff-cert-dialog">
      <Form form={form} layout="vertical" name="staff-cert" initialValues={{ kind: KYLIN }}>
        <Form.Item name="kind" label={t('maint.staff.certKind')} rules={[{ required: true, whitespace: true, max: 40 }]}>
          <AutoComplete options={[{ value: KYLIN, label: `${label(`maint.staff.kind.${KYLIN}`)} (${KYLIN})` }]} maxLength={40} data-testid="staff-cert-kind" />
        </Form.Item>
        <Form.Item name="number" label={t('maint.staff.certNumber')} rules={[{ required: true, whitespace: true, max: 60 }]}>
          <Input maxLength={60} data-testid="staff-cert-number" />
        </Form.Item>
        <Form.Item name="issuedOn" label={t('maint.staff.issuedOn')} rules={[{ required: true }]}>
          <DatePicker style={{ width: '100%' }} data-testid="staff-cert-issued" />
        </Form.Item>
        <Form.Item name="expiresOn" label={t('maint.staff.expiresOn')} extra={t('maint.staff.noExpiry')}>
          <DatePicker style={{ width: '100%' }} data-testid="staff-cert-expires" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RosterTab({ contractId }: { contractId: string }) {
  const t = useT();
  const label = useLabel();
  const { showError } = useFeedback();
  const [range, setRange] = useState<[string, string] | null>(null);
  const [adding, setAdding] = useState(false);
  const [choice, setChoice] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const { data, loading, reload } = useLoad((signal) => api.get<Roster>('/maintenance/roster', { contractId, from: range?.[0], to: range?.[1] }, { signal }), [contractId, range?.[0], range?.[1]]);

  const assign = async (postId: string, startsAt: string) => {
    const key = `${postId}:${startsAt}`;
    setBusy(key);
    try {
      await api.post('/maintenance/shifts', { postId, engineerId: choice[key], startsAt });
      reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(null);
    }
  };

  const columns = (post: Post): TableColumnsType<Post['slots'][number]> => [
    { title: t('maint.roster.slot'), key: 'slot', render: (_: unknown, s) => `${s.startsAtLocal} – ${s.endsAtLocal.slice(11)}` },
    {
      title: t('maint.roster.engineer'),
      key: 'engineer',
      render: (_: unknown, s) => {
        const shift = data?.shifts.find((x) => x.postId === post.id && x.startsAt === s.startsAt);
        if (shift)
          return (
            <Space wrap size={4}>
              <span>{shift.engineerNameMasked}</span>
              <Tag color={SHIFT_COLORS[shift.state]}>{label(`maint.shift.state.${shift.state}`)}</Tag>
              {shift.late && <Tag color="orange">{t('maint.shift.late', { minutes: shift.lateMinutes })}</Tag>}
            </Space>
          );
        const key = `${post.id}:${s.startsAt}`;
        return data?.mayRoster ? (
          <Space.Compact>
            <Select
              size="small"
              style={{ width: 120 }}
              placeholder={t('maint.roster.unassigned')}
              value={choice[key]}
              onChange={(v: string) => setChoice({ ...choice, [key]: v })}
              options={data.engineers.map((e) => ({ value: e.id, label: e.nameMasked }))}
              data-testid={`roster-pick-${s.startsAt}`}
            />
            <Button size="small" disabled={!choice[key]} loading={busy === key} onClick={() => void assign(post.id, s.startsAt)} data-testid={`roster-assign-${s.startsAt}`}>
              {t('maint.roster.assign')}
            </Button>
          </Space.Compact>
        ) : (
          <Tag color="red">{t('maint.roster.unassigned')}</Tag>
        );
      },
    },
  ];

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Space wrap>
        <DatePicker.RangePicker
          allowClear={false}
          value={range ? [dayjs(range[0]), dayjs(range[1])] : data ? [dayjs(data.from), dayjs(data.to)] : null}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')])}
          aria-label={t('maint.roster.range')}
        />
        {data?.mayCreatePost && (
          <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="roster-add-post">
            {t('maint.roster.addPost')}
          </Button>
        )}
      </Space>
      {!loading && data?.posts.length === 0 && <Empty description={t('maint.roster.noPosts')} />}
      {data?.posts.map((p) => (
        <Card
          key={p.id}
          size="small"
          data-testid={`roster-post-${p.id}`}
          styles={{ header: { paddingBlock: 8 } }}
          title={
            <Space orientation="vertical" size={0}>
              <Typography.Text strong>{p.name}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal', whiteSpace: 'normal' }}>
                {`${p.siteName} · ${label(`maint.roster.pattern.${p.pattern}`)} · ${p.dayStart}`}
              </Typography.Text>
              {p.uncoveredMinutes > 0 ? (
                <Tag color="red" data-testid="roster-uncovered">
                  {t('maint.roster.uncovered', { hours: Math.round((p.uncoveredMinutes / 60) * 10) / 10 })}
                </Tag>
              ) : (
                <Tag color="green">{t('maint.roster.covered')}</Tag>
              )}
            </Space>
          }
        >
          <Table rowKey="startsAt" size="small" columns={columns(p)} dataSource={p.slots} pagination={p.slots.length > 14 ? { pageSize: 14, size: 'small' } : false} />
        </Card>
      ))}
      <PostDialog open={adding} contractId={contractId} onClose={() => setAdding(false)} onDone={() => (setAdding(false), reload())} />
    </Space>
  );
}

function PostDialog({ open, contractId, onClose, onDone }: { open: boolean; contractId: string; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const label = useLabel();
  const [form] = Form.useForm<{ name: string; siteOrgId: string; pattern: string; dayStart: string; shiftHours?: number }>();
  const pattern = Form.useWatch('pattern', form);
  const sites = useLoad((signal) => api.get<{ items: { orgId: string; name: string; contractId: string }[] }>('/maintenance/sites', undefined, { signal }), [], { enabled: open });
  const { busy, submit } = useSubmit(onDone);
  const ok = () =>
    submit(async () => {
      const v = await form.validateFields();
      await api.post('/maintenance/posts', { contractId, name: v.name.trim(), siteOrgId: v.siteOrgId, pattern: v.pattern, dayStart: v.dayStart, shiftHours: v.pattern === '7x24' ? v.shiftHours : 8 });
      form.resetFields();
    });
  return (
    <Modal open={open} title={t('maint.roster.addPost')} onCancel={onClose} onOk={ok} confirmLoading={busy} destroyOnHidden data-testid="roster-post-dialog">
      <Form form={form} layout="vertical" name="roster-post" initialValues={{ pattern: '5x8', dayStart: '09:00', shiftHours: 8 }}>
        <Form.Item name="name" label={t('maint.roster.postName')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input maxLength={100} data-testid="roster-post-name" />
        </Form.Item>
        <Form.Item name="siteOrgId" label={t('maint.roster.site')} rules={[{ required: true }]}>
          <Select
            showSearch
            optionFilterProp="label"
            options={(sites.data?.items ?? []).filter((s) => s.contractId === contractId).map((s) => ({ value: s.orgId, label: s.name }))}
            data-testid="roster-post-site"
          />
        </Form.Item>
        <Form.Item name="pattern" label={t('maint.roster.pattern')} rules={[{ required: true }]}>
          <Select options={['5x8', '7x8', '7x24'].map((p) => ({ value: p, label: label(`maint.roster.pattern.${p}`) }))} data-testid="roster-post-pattern" />
        </Form.Item>
        <Form.Item name="dayStart" label={t('maint.roster.dayStart')} rules={[{ required: true, pattern: /^([01]\d|2[0-3]):[0-5]\d$/ }]}>
          <Input maxLength={5} placeholder="09:00" data-testid="roster-post-start" />
        </Form.Item>
        {pattern === '7x24' && (
          <Form.Item name="shiftHours" label={t('maint.roster.shiftHours')}>
            <Select options={[8, 12].map((h) => ({ value: h, label: String(h) }))} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
