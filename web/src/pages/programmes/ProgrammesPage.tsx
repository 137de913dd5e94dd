import { useMemo, useState } from 'react';
import { Button, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import { fetchOrgsQuiet, fetchProgrammes } from '../../api/resources.ts';
import {
  DEADLINE_UNITS,
  PACKING_ORDERS,
  PROGRAMME_KINDS,
  PROGRAMME_LIMITS,
  type Deadline,
  type DeadlineUnit,
  type OrgRef,
  type PackingOrder,
  type Programme,
  type ProgrammeInput,
  type ProgrammeKind,
  type ProgrammePatch,
} from '../../api/types.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useNames, useT, type TFunction } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { PERM } from '../../nav.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

/** Organisation kinds each picker offers. Assumed: receivers may be outlets or banks for both kinds of programme. */
const PRODUCER_KINDS = ['PRODUCER'];
const RECEIVER_KINDS = ['OUTLET', 'BANK'];
const AUTHORITY_KINDS = ['AUTHORITY'];

interface FormValues {
  kind: ProgrammeKind;
  name: string;
  authorityOrgId: string;
  producerOrgIds: string[];
  receiverOrgIds: string[];
  productionAmount: number;
  productionUnit: DeadlineUnit;
  hasDelivery: boolean;
  deliveryAmount?: number;
  deliveryUnit?: DeadlineUnit;
  productionRegionPrefix: string;
  batchSizeLimit: number;
  personalisationRetentionHours: number;
  closedApplicationRetentionDays: number;
  packingOrder: PackingOrder;
}

export function formatDeadline(t: TFunction, d: Deadline | null | undefined): string {
  if (!d) return t('programmes.noDeadline');
  return t('programmes.deadline', { amount: d.amount, unit: t(`deadlineUnit.${d.unit}`) });
}

export function ProgrammeKindTag({ kind }: { kind: string }) {
  const names = useNames();
  return (
    <Tag color={kind === 'RESIDENCE_PERMIT' ? 'blue' : 'green'} data-kind={kind}>
      {names.code('programmeKind', kind)}
    </Tag>
  );
}

function OrgNames({ refs, testId }: { refs: OrgRef[]; testId: string }) {
  const names = refs.map((r) => r.name);
  const shown = names.slice(0, 3);
  return (
    <Tooltip title={names.length > 3 ? names.join('、') : undefined}>
      <span data-testid={testId}>
        {shown.map((n, i) => (
          <Tag key={`${i}-${n}`} style={{ marginBlock: 2 }}>
            {n}
          </Tag>
        ))}
        {names.length > 3 && <Tag>+{names.length - 3}</Tag>}
      </span>
    </Tooltip>
  );
}

export default function ProgrammesPage() {
  const t = useT();
  const names = useNames();
  const { can } = useAuth();
  const { showError, showSuccess } = useFeedback();
  const canManage = can(PERM.programmeManage);
  const { data: programmes = [], loading, reload } = useLoad((signal) => fetchProgrammes(signal), []);
  const { data: orgs = [] } = useLoad((signal) => fetchOrgsQuiet(signal), [], { enabled: can(PERM.orgRead) });
  const [editing, setEditing] = useState<Programme | 'new' | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<FormValues>();
  const hasDelivery = Form.useWatch('hasDelivery', form);

  // the orgs I can list, plus those the edited programme already names (they may be outside my scope)
  const orgOptions = (kinds: string[], current: (OrgRef & { kind?: string })[] = []) => {
    const seen = new Set<string>();
    const out: { value: string; label: string }[] = [];
    for (const o of [...orgs, ...current.map((c) => ({ ...c, kind: c.kind ?? kinds[0] ?? '' }))]) {
      if (!kinds.includes(o.kind) || seen.has(o.id)) continue;
      seen.add(o.id);
      out.push({ value: o.id, label: `${o.name}（${names.orgKind(o.kind)}）` });
    }
    return out;
  };
  const editingProgramme = editing && editing !== 'new' ? editing : null;
  const authorityOptions = useMemo(() => {
    const opts = orgs.filter((o) => AUTHORITY_KINDS.includes(o.kind)).map((o) => ({ value: o.id, label: o.name }));
    if (editingProgramme && !opts.some((o) => o.value === editingProgramme.authorityOrgId)) opts.push({ value: editingProgramme.authorityOrgId, label: editingProgramme.authorityOrgName });
    return opts;
  }, [orgs, editingProgramme]);

  const openCreate = () => {
    form.resetFields();
    form.setFieldsValue({
      productionUnit: 'WORKING_DAYS',
      deliveryUnit: 'WORKING_DAYS',
      hasDelivery: false,
      packingOrder: 'BY_UNIT',
      // Three years after closing, the server's default as well.
      closedApplicationRetentionDays: 1095,
      producerOrgIds: [],
      receiverOrgIds: [],
      authorityOrgId: orgs.find((o) => o.kind === 'AUTHORITY')?.id,
    });
    setEditing('new');
  };

  const openEdit = (p: Programme) => {
    form.resetFields();
    form.setFieldsValue({
      kind: p.kind,
      name: p.name,
      authorityOrgId: p.authorityOrgId,
      producerOrgIds: p.producers.map((o) => o.id),
      receiverOrgIds: p.receivers.map((o) => o.id),
      productionAmount: p.productionDeadline.amount,
      productionUnit: p.productionDeadline.unit,
      hasDelivery: !!p.deliveryDeadline,
      deliveryAmount: p.deliveryDeadline?.amount,
      deliveryUnit: p.deliveryDeadline?.unit ?? 'WORKING_DAYS',
      productionRegionPrefix: p.productionRegionPrefix,
      batchSizeLimit: p.batchSizeLimit,
      personalisationRetentionHours: p.personalisationRetentionHours,
      closedApplicationRetentionDays: p.closedApplicationRetentionDays,
      packingOrder: p.packingOrder,
    });
    setEditing(p);
  };

  const submit = async () => {
    const v = await form.validateFields();
    const body: ProgrammeInput = {
      kind: v.kind,
      name: v.name.trim(),
      authorityOrgId: v.authorityOrgId,
      producerOrgIds: v.producerOrgIds,
      receiverOrgIds: v.receiverOrgIds,
      productionDeadline: { amount: v.productionAmount, unit: v.productionUnit },
      deliveryDeadline: v.hasDelivery && v.deliveryAmount && v.deliveryUnit ? { amount: v.deliveryAmount, unit: v.deliveryUnit } : null,
      productionRegionPrefix: v.productionRegionPrefix.trim(),
      batchSizeLimit: v.batchSizeLimit,
      personalisationRetentionHours: v.personalisationRetentionHours,
      closedApplicationRetentionDays: v.closedApplicationRetentionDays,
      packingOrder: v.packingOrder,
    };
    setSaving(true);
    try {
      if (editing === 'new') {
        await api.post<Programme>('/programmes', body);
        showSuccess(t('common.created'));
      } else if (editing) {
        // the kind and the authority of a programme never change: PATCH does not take them
        const { kind: _kind, authorityOrgId: _authority, ...patch } = body;
        const _typed: ProgrammePatch = patch;
        await api.patch<Programme>(`/programmes/${encodeURIComponent(editing.id)}`, _typed);
        showSuccess(t('common.saved'));
      }
      setEditing(null);
      reload();
    } catch (err) {
      showError(err);
    } finally {
      setSaving(false);
    }
  };

  const required = { required: true, message: t('programmes.required') };
  const columns: TableColumnsType<Programme> = [
    { title: t('programmes.kind'), dataIndex: 'kind', key: 'kind', width: 150, render: (k: string) => <ProgrammeKindTag kind={k} /> },
    {
      title: t('programmes.name'),
      dataIndex: 'name',
      key: 'name',
      render: (v: string, p) => (
        <Typography.Text strong data-testid={`programme-name-${p.id}`}>
          {v}
        </Typography.Text>
      ),
    },
    { title: t('programmes.authority'), dataIndex: 'authorityOrgName', key: 'authority' },
    { title: t('programmes.producers'), key: 'producers', render: (_, p) => <OrgNames refs={p.producers} testId={`programme-producers-${p.id}`} /> },
    { title: t('programmes.receivers'), key: 'receivers', render: (_, p) => <OrgNames refs={p.receivers} testId={`programme-receivers-${p.id}`} /> },
    {
      title: t('programmes.productionDeadline'),
      key: 'production',
      width: 130,
      render: (_, p) => (
        <span className="cf-nowrap" data-testid={`programme-production-${p.id}`}>
          {formatDeadline(t, p.productionDeadline)}
        </span>
      ),
    },
    {
      title: t('programmes.deliveryDeadline'),
      key: 'delivery',
      width: 130,
      render: (_, p) => (
        <span className="cf-nowrap" data-testid={`programme-delivery-${p.id}`}>
          {formatDeadline(t, p.deliveryDeadline)}
        </span>
      ),
    },
    { title: t('programmes.regionPrefix'), dataIndex: 'productionRegionPrefix', key: 'prefix', width: 110, render: (v: string) => <span className="cf-mono">{v}</span> },
    { title: t('programmes.batchSizeLimit'), dataIndex: 'batchSizeLimit', key: 'batch', width: 110, align: 'right' },
    {
      title: t('programmes.retention'),
      dataIndex: 'personalisationRetentionHours',
      key: 'retention',
      width: 120,
      render: (n: number) => <span className="cf-nowrap">{t('programmes.retentionHours', { n })}</span>,
    },
    {
      title: t('programmes.closedRetention'),
      dataIndex: 'closedApplicationRetentionDays',
      key: 'closedRetention',
      width: 130,
      render: (n: number) => <span className="cf-nowrap">{t('programmes.closedRetentionDays', { n })}</span>,
    },
    { title: t('programmes.packingOrder'), dataIndex: 'packingOrder', key: 'packing', width: 120, render: (v: string) => names.code('packingOrder', v) },
    { title: t('common.createdAt'), dataIndex: 'createdAt', key: 'createdAt', width: 170, render: (v: string) => <span className="cf-nowrap">{formatDateTime(v)}</span> },
    ...(canManage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right' as const,
            width: 90,
            render: (_: unknown, p: Programme) => (
              <Button type="link" size="small" icon={<EditOutlined />} onClick={() => openEdit(p)} data-testid={`programme-row-edit-${p.id}`}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  const unitOptions = DEADLINE_UNITS.map((u) => ({ value: u, label: t(`deadlineUnit.${u}`) }));

  return (
    <div data-testid="page-programmes">
      <PageHeader title={t('menu.programmes')}>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={reload} data-testid="programme-reload">
            {t('common.refresh')}
          </Button>
          {canManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={openCreate} data-testid="programme-create">
              {t('programmes.create')}
            </Button>
          )}
        </Space>
      </PageHeader>
      <Table<Programme>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={programmes}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
        scroll={{ x: 1500 }}
        data-testid="programme-table"
        onRow={(p) => ({ 'data-testid': `programme-row-${p.id}` }) as React.HTMLAttributes<HTMLElement>}
      />

      <Modal
        title={editing === 'new' ? t('programmes.create') : t('programmes.edit')}
        open={!!editing}
        onCancel={() => setEditing(null)}
        onOk={() => void submit().catch(() => undefined)}
        confirmLoading={saving}
        okText={t('common.save')}
        okButtonProps={{ 'data-testid': 'programme-submit' }}
        width={680}
        forceRender
      >
        <Form<FormValues> form={form} layout="vertical" name="programme">
          <Space.Compact block style={{ gap: 16 }}>
            <Form.Item name="kind" label={t('programmes.kind')} rules={[required]} style={{ flex: 1 }}>
              <Select
                data-testid="programme-kind"
                disabled={editing !== 'new'}
                options={PROGRAMME_KINDS.map((k) => ({ value: k, label: names.code('programmeKind', k) }))}
              />
            </Form.Item>
            <Form.Item name="name" label={t('programmes.name')} rules={[{ ...required, whitespace: true }, { max: 100 }]} style={{ flex: 2 }}>
              <Input data-testid="programme-name" maxLength={100} />
            </Form.Item>
          </Space.Compact>
          <Form.Item name="authorityOrgId" label={t('programmes.authority')} rules={[required]}>
            <Select data-testid="programme-authority" disabled={editing !== 'new'} showSearch={{ optionFilterProp: 'label' }} options={authorityOptions} />
          </Form.Item>
          <Form.Item name="producerOrgIds" label={t('programmes.producers')} rules={[{ required: true, type: 'array', min: 1, message: t('programmes.orgsRequired') }]}>
            <Select mode="multiple" data-testid="programme-producers" showSearch={{ optionFilterProp: 'label' }} options={orgOptions(PRODUCER_KINDS, editingProgramme?.producers.map((o) => ({ ...o, kind: 'PRODUCER' })))} />
          </Form.Item>
          <Form.Item name="receiverOrgIds" label={t('programmes.receivers')} rules={[{ required: true, type: 'array', min: 1, message: t('programmes.orgsRequired') }]}>
            <Select mode="multiple" data-testid="programme-receivers" showSearch={{ optionFilterProp: 'label' }} options={orgOptions(RECEIVER_KINDS, editingProgramme?.receivers)} />
          </Form.Item>
          <Form.Item label={t('programmes.productionDeadline')} required>
            <Space.Compact>
              <Form.Item name="productionAmount" noStyle rules={[required]}>
                <InputNumber min={1} max={PROGRAMME_LIMITS.deadlineMax} precision={0} data-testid="programme-production-amount" style={{ width: 120 }} />
              </Form.Item>
              <Form.Item name="productionUnit" noStyle rules={[required]}>
                <Select data-testid="programme-production-unit" options={unitOptions} style={{ width: 150 }} />
              </Form.Item>
            </Space.Compact>
          </Form.Item>
          <Form.Item label={t('programmes.deliveryDeadline')}>
            <Space wrap>
              <Form.Item name="hasDelivery" valuePropName="checked" noStyle>
                <Checkbox data-testid="programme-has-delivery">{t('programmes.hasDelivery')}</Checkbox>
              </Form.Item>
              {hasDelivery && (
                <Space.Compact>
                  <Form.Item name="deliveryAmount" noStyle rules={[required]}>
                    <InputNumber min={1} max={PROGRAMME_LIMITS.deadlineMax} precision={0} data-testid="programme-delivery-amount" style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name="deliveryUnit" noStyle rules={[required]}>
                    <Select data-testid="programme-delivery-unit" options={unitOptions} style={{ width: 150 }} />
                  </Form.Item>
                </Space.Compact>
              )}
            </Space>
          </Form.Item>
          <Space wrap size={16} align="start">
            <Form.Item
              name="productionRegionPrefix"
              label={t('programmes.regionPrefix')}
              extra={t('programmes.regionPrefixHint')}
              rules={[required, { pattern: /^\d{2,6}$/, message: t('programmes.regionPrefixFormat') }]}
            >
              <Input data-testid="programme-region-prefix" maxLength={6} inputMode="numeric" style={{ width: 180 }} />
            </Form.Item>
            <Form.Item name="batchSizeLimit" label={t('programmes.batchSizeLimit')} rules={[required]}>
              <InputNumber min={1} max={PROGRAMME_LIMITS.batchSizeMax} precision={0} data-testid="programme-batch-size" style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="personalisationRetentionHours" label={t('programmes.retention')} rules={[required]}>
              <InputNumber min={1} max={PROGRAMME_LIMITS.retentionHoursMax} precision={0} data-testid="programme-retention" style={{ width: 140 }} suffix="h" />
            </Form.Item>
            <Form.Item name="closedApplicationRetentionDays" label={t('programmes.closedRetention')} extra={t('programmes.closedRetentionHint')} rules={[required]}>
              <InputNumber
                min={PROGRAMME_LIMITS.closedRetentionDaysMin}
                max={PROGRAMME_LIMITS.closedRetentionDaysMax}
                precision={0}
                data-testid="programme-closed-retention"
                style={{ width: 160 }}
                suffix={t('programmes.days')}
              />
            </Form.Item>
            <Form.Item name="packingOrder" label={t('programmes.packingOrder')} rules={[required]}>
              <Select data-testid="programme-packing-order" style={{ width: 180 }} options={PACKING_ORDERS.map((p) => ({ value: p, label: names.code('packingOrder', p) }))} />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </div>
  );
}
