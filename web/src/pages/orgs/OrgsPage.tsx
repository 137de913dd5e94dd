import { useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Form, Input, Modal, Row, Select, Space, Table, Tag, Tree, Typography } from 'antd';
import type { TableColumnsType, TreeDataNode } from 'antd';
import { EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import { fetchOrgs } from '../../api/resources.ts';
import { ORG_KINDS, regionRequired, type Org, type OrgKind } from '../../api/types.ts';
import { useAuth, useUser } from '../../auth/AuthContext.tsx';
import { useFeedback } from '../../components/feedback.ts';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useLocale, useNames, useT } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { buildOrgForest, subtreeIds, type OrgNode } from '../../lib/orgTree.ts';
import { serverMessage, serverRule } from '../../lib/serverRules.ts';
import { PERM } from '../../nav.tsx';
import { checkCreditCode } from '@shared/validators/credit-code.ts';
import { assertRegionCode, findRegion } from '@shared/validators/region.ts';
import { PageHeader } from '../../components/PageHeader.tsx';

const KIND_COLORS: Record<OrgKind, string> = {
  AUTHORITY: 'red',
  OUTLET: 'blue',
  PRODUCER: 'purple',
  BANK: 'gold',
  MAINTAINER: 'cyan',
  SMS_PROVIDER: 'green',
};

export function OrgKindTag({ kind }: { kind: string }) {
  const names = useNames();
  return <Tag color={KIND_COLORS[kind as OrgKind] ?? 'default'}>{names.orgKind(kind)}</Tag>;
}

interface CreateForm {
  name: string;
  kind: OrgKind;
  parentId: string;
  regionCode?: string;
  creditCode?: string;
}
interface EditForm {
  name: string;
  regionCode?: string;
}

/** The full name of a region code that exists (「江苏省 常州市 武进区」), for the help text under the field. */
function RegionHelp({ code, hint, testId }: { code: string | undefined; hint: string; testId: string }) {
  const region = code?.trim() ? findRegion(code.trim()) : null;
  return region ? <span data-testid={testId}>{region.fullName}</span> : <>{hint}</>;
}

export default function OrgsPage() {
  const t = useT();
  const names = useNames();
  const [locale] = useLocale();
  const user = useUser();
  const { can } = useAuth();
  const { showError, showSuccess } = useFeedback();
  const canManage = can(PERM.orgManage);

  const { data: orgs = [], loading, reload } = useLoad((signal) => fetchOrgs(signal), []);
  const [selected, setSelected] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Org | null>(null);
  const [saving, setSaving] = useState(false);
  const [createForm] = Form.useForm<CreateForm>();
  const [editForm] = Form.useForm<EditForm>();
  const createKind = Form.useWatch('kind', createForm);
  const createRegion = Form.useWatch('regionCode', createForm);
  const editRegion = Form.useWatch('regionCode', editForm);

  const byId = useMemo(() => new Map(orgs.map((o) => [o.id, o])), [orgs]);
  const forest = useMemo(() => buildOrgForest(orgs), [orgs]);

  const treeData = useMemo(() => {
    const q = search.trim().toLowerCase();
    const convert = (nodes: OrgNode[]): TreeDataNode[] =>
      nodes.flatMap((n) => {
        const children = convert(n.children);
        const hit = !q || n.org.name.toLowerCase().includes(q);
        if (!hit && children.length === 0) return [];
        return [
          {
            key: n.org.id,
            title: (
              <span data-testid={`org-tree-${n.org.id}`}>
                {n.org.name} <OrgKindTag kind={n.org.kind} />
              </span>
            ),
            children,
          },
        ];
      });
    return convert(forest);
  }, [forest, search]);

  const rows = useMemo(() => {
    if (!selected) return orgs;
    const ids = subtreeIds(orgs, selected);
    return orgs.filter((o) => ids.has(o.id));
  }, [orgs, selected]);

  const openCreate = () => {
    createForm.resetFields();
    createForm.setFieldsValue({ parentId: selected ?? user.orgId });
    setCreating(true);
  };

  const submitCreate = async () => {
    const v = await createForm.validateFields();
    setSaving(true);
    try {
      const body: Record<string, unknown> = { name: v.name.trim(), kind: v.kind, parentId: v.parentId };
      if (v.regionCode?.trim()) body.regionCode = v.regionCode.trim();
      if (v.creditCode?.trim()) body.creditCode = checkCreditCode(v.creditCode, 'entry').code;
      await api.post<Org>('/orgs', body);
      showSuccess(t('common.created'));
      setCreating(false);
      reload();
    } catch (err) {
      showError(err);
    } finally {
      setSaving(false);
    }
  };

  const openEdit = (org: Org) => {
    editForm.setFieldsValue({ name: org.name, regionCode: org.regionCode ?? '' });
    setEditing(org);
  };

  const submitEdit = async () => {
    if (!editing) return;
    const v = await editForm.validateFields();
    setSaving(true);
    try {
      const body: Record<string, unknown> = {};
      if (v.name.trim() !== editing.name) body.name = v.name.trim();
      const region = v.regionCode?.trim() ?? '';
      // an empty field clears the region (only allowed, and only offered, where the kind does not need one)
      if (region !== (editing.regionCode ?? '')) body.regionCode = region || null;
      if (Object.keys(body).length) await api.patch<Org>(`/orgs/${encodeURIComponent(editing.id)}`, body);
      showSuccess(t('common.saved'));
      setEditing(null);
      reload();
    } catch (err) {
      showError(err);
    } finally {
      setSaving(false);
    }
  };

  const regionRules = (kind: string | undefined) => [
    { required: regionRequired(kind), whitespace: true, message: serverMessage(locale, 'ORG_REGION_REQUIRED') },
    serverRule(locale, assertRegionCode),
  ];
  const regionHint = (kind: string | undefined) => t(!kind || regionRequired(kind) ? 'orgs.regionCodeHint' : 'orgs.regionCodeOptionalHint');

  const columns: TableColumnsType<Org> = [
    { title: t('orgs.name'), dataIndex: 'name', key: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    { title: t('orgs.kind'), dataIndex: 'kind', key: 'kind', width: 120, render: (k: string) => <OrgKindTag kind={k} /> },
    {
      title: t('orgs.parent'),
      dataIndex: 'parentId',
      key: 'parent',
      render: (id: string | null) => (id ? (byId.get(id)?.name ?? '—') : t('orgs.noParent')),
    },
    {
      title: t('orgs.region'),
      key: 'region',
      render: (_, o) => (o.regionCode ? `${o.regionName ?? ''} ${o.regionCode}`.trim() : '—'),
    },
    { title: t('orgs.creditCode'), dataIndex: 'creditCode', key: 'creditCode', width: 170, render: (v: string | null) => (v ? <span className="cf-mono">{v}</span> : '—') },
    { title: t('common.createdAt'), dataIndex: 'createdAt', key: 'createdAt', width: 170, render: (v: string) => <span className="cf-nowrap">{formatDateTime(v)}</span> },
    ...(canManage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right' as const,
            width: 90,
            render: (_: unknown, o: Org) => (
              <Button type="link" size="small" icon={<EditOutlined />} onClick={() => openEdit(o)} data-testid={`org-row-edit-${o.id}`}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <div data-testid="page-orgs">
      <PageHeader title={t('menu.orgs')}>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={reload} data-testid="org-reload">
            {t('common.refresh')}
          </Button>
          {canManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={openCreate} data-testid="org-create">
              {t('orgs.create')}
            </Button>
          )}
        </Space>
      </PageHeader>
      <Row gutter={16}>
        <Col xs={24} lg={8} xl={7}>
          <Card title={t('orgs.tree')} size="small" style={{ marginBottom: 16 }} loading={loading && orgs.length === 0}>
            <Input.Search
              allowClear
              placeholder={t('orgs.searchPlaceholder')}
              onChange={(e) => setSearch(e.target.value)}
              style={{ marginBottom: 8 }}
              data-testid="org-tree-search"
            />
            {treeData.length > 0 && (
              <Tree
                key={`${orgs.length}-${search}`}
                treeData={treeData}
                defaultExpandAll
                showLine
                blockNode
                selectedKeys={selected ? [selected] : []}
                onSelect={(keys) => setSelected(keys.length ? String(keys[0]) : null)}
                data-testid="org-tree"
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={16} xl={17}>
          <Card title={t('orgs.list')} size="small">
            {selected && byId.get(selected) && (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 12 }}
                title={t('orgs.filtered', { name: byId.get(selected)!.name })}
                action={
                  <Button size="small" type="link" onClick={() => setSelected(null)} data-testid="org-show-all">
                    {t('orgs.showAll')}
                  </Button>
                }
              />
            )}
            <Table<Org>
              rowKey="id"
              size="middle"
              loading={loading}
              columns={columns}
              dataSource={rows}
              pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
              scroll={{ x: 900 }}
              data-testid="org-table"
            />
          </Card>
        </Col>
      </Row>

      <Modal
        title={t('orgs.create')}
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => void submitCreate().catch(() => undefined)}
        confirmLoading={saving}
        okText={t('common.save')}
        okButtonProps={{ 'data-testid': 'org-submit' }}
        forceRender
      >
        <Form<CreateForm> form={createForm} layout="vertical" name="org-create">
          <Form.Item name="name" label={t('orgs.name')} rules={[{ required: true, whitespace: true, message: t('orgs.nameRequired') }, { max: 100 }]}>
            <Input data-testid="org-name" maxLength={100} />
          </Form.Item>
          <Form.Item name="kind" label={t('orgs.kind')} rules={[{ required: true, message: t('orgs.kindRequired') }]}>
            <Select
              data-testid="org-kind"
              options={ORG_KINDS.map((k) => ({ value: k, label: names.orgKind(k) }))}
              onChange={() => void createForm.validateFields(['regionCode']).catch(() => undefined)}
            />
          </Form.Item>
          <Form.Item name="parentId" label={t('orgs.parent')} rules={[{ required: true, message: t('orgs.parentRequired') }]}>
            <OrgTreeSelect orgs={orgs} testId="org-parentId" />
          </Form.Item>
          <Form.Item
            name="regionCode"
            label={t('orgs.regionCode')}
            extra={<RegionHelp code={createRegion} hint={regionHint(createKind)} testId="org-regionName" />}
            rules={regionRules(createKind)}
            required={regionRequired(createKind)}
          >
            <Input data-testid="org-regionCode" maxLength={6} inputMode="numeric" allowClear />
          </Form.Item>
          <Form.Item
            name="creditCode"
            label={t('orgs.creditCode')}
            extra={t('orgs.creditCodeHint')}
            rules={[serverRule(locale, (v) => checkCreditCode(v, 'entry'))]}
          >
            <Input data-testid="org-creditCode" maxLength={18} />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        title={t('orgs.edit')}
        open={!!editing}
        onCancel={() => setEditing(null)}
        onOk={() => void submitEdit().catch(() => undefined)}
        confirmLoading={saving}
        okText={t('common.save')}
        okButtonProps={{ 'data-testid': 'org-edit-submit' }}
        forceRender
      >
        <Form<EditForm> form={editForm} layout="vertical" name="org-edit">
          <Form.Item label={t('orgs.kind')}>{editing && <OrgKindTag kind={editing.kind} />}</Form.Item>
          <Form.Item name="name" label={t('orgs.name')} rules={[{ required: true, whitespace: true, message: t('orgs.nameRequired') }, { max: 100 }]}>
            <Input data-testid="org-edit-name" maxLength={100} />
          </Form.Item>
          <Form.Item
            name="regionCode"
            label={t('orgs.regionCode')}
            extra={<RegionHelp code={editRegion} hint={regionHint(editing?.kind)} testId="org-edit-regionName" />}
            rules={regionRules(editing?.kind)}
            required={regionRequired(editing?.kind)}
          >
            <Input data-testid="org-edit-regionCode" maxLength={6} inputMode="numeric" allowClear={!regionRequired(editing?.kind)} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
