import { useMemo, useState } from 'react';
import { Alert, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CopyOutlined, PlusOutlined, ReloadOutlined, StopOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import { fetchOrgs, fetchRoles, rolesForKind } from '../../api/resources.ts';
import type { ApiKey, ListResponse, Org } from '../../api/types.ts';
import { useUser } from '../../auth/AuthContext.tsx';
import { useFeedback } from '../../components/feedback.ts';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { RoleTags } from '../../components/RoleTags.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useNames, useT } from '../../i18n/index.tsx';
import { copyText } from '../../lib/clipboard.ts';
import { formatDateTime } from '../../lib/time.ts';
import { PageHeader } from '../../components/PageHeader.tsx';

interface CreateForm {
  name: string;
  orgId: string;
  roles: string[];
}

export default function ApiKeysPage() {
  const t = useT();
  const names = useNames();
  const user = useUser();
  const { showError, showSuccess, message } = useFeedback();
  const { data: keys = [], loading, reload } = useLoad(async (signal) => (await api.get<ListResponse<ApiKey>>('/api-keys', undefined, { signal })).items, []);
  const { data: orgs = [] } = useLoad((signal) => fetchOrgs(signal), []);
  const { data: roles = [] } = useLoad((signal) => fetchRoles(signal), []);
  const [creating, setCreating] = useState(false);
  const [saving, setSaving] = useState(false);
  const [secret, setSecret] = useState<{ key: ApiKey; secret: string } | null>(null);
  const [form] = Form.useForm<CreateForm>();
  const orgId = Form.useWatch('orgId', form);
  const orgById = useMemo(() => new Map<string, Org>(orgs.map((o) => [o.id, o])), [orgs]);
  const allowedRoles = rolesForKind(roles, orgId ? orgById.get(orgId)?.kind : undefined);

  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      const res = await api.post<{ apiKey: ApiKey; secret: string }>('/api-keys', { name: v.name.trim(), orgId: v.orgId, roles: v.roles });
      setCreating(false);
      setSecret({ key: res.apiKey, secret: res.secret });
      reload();
    } catch (err) {
      showError(err);
    } finally {
      setSaving(false);
    }
  };

  const revoke = async (k: ApiKey) => {
    try {
      await api.post<ApiKey>(`/api-keys/${encodeURIComponent(k.id)}/revoke`);
      showSuccess(t('apiKeys.revokedOk'));
      reload();
    } catch (err) {
      showError(err);
    }
  };

  const copySecret = async () => {
    if (!secret) return;
    if (await copyText(secret.secret)) void message.success(t('common.copied'));
    else void message.error(t('common.copyFailed'));
  };

  const columns: TableColumnsType<ApiKey> = [
    { title: t('apiKeys.name'), dataIndex: 'name', key: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    { title: t('apiKeys.prefix'), dataIndex: 'prefix', key: 'prefix', render: (v: string) => <span className="cf-mono">{v}…</span> },
    { title: t('apiKeys.org'), dataIndex: 'orgName', key: 'orgName' },
    { title: t('apiKeys.roles'), dataIndex: 'roles', key: 'roles', render: (r: string[]) => <RoleTags roles={r} /> },
    { title: t('apiKeys.createdAt'), dataIndex: 'createdAt', key: 'createdAt', width: 170, render: (v: string) => <span className="cf-nowrap">{formatDateTime(v)}</span> },
    {
      title: t('apiKeys.lastUsed'),
      dataIndex: 'lastUsedAt',
      key: 'lastUsedAt',
      width: 170,
      render: (v: string | null) => <span className="cf-nowrap">{v ? formatDateTime(v) : <Typography.Text type="secondary">{t('apiKeys.neverUsed')}</Typography.Text>}</span>,
    },
    {
      title: t('apiKeys.status'),
      dataIndex: 'revokedAt',
      key: 'status',
      width: 200,
      render: (v: string | null) =>
        v ? <Tag color="default">{t('apiKeys.revokedAt', { time: formatDateTime(v) })}</Tag> : <Tag color="success">{t('apiKeys.active')}</Tag>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      render: (_, k) =>
        k.revokedAt ? null : (
          <Popconfirm
            title={t('apiKeys.revoke')}
            description={<div style={{ maxWidth: 280 }}>{t('apiKeys.revokeConfirm')}</div>}
            okText={t('apiKeys.revoke')}
            okButtonProps={{ danger: true, 'data-testid': 'apikey-revoke-confirm' }}
            cancelText={t('common.cancel')}
            onConfirm={() => revoke(k)}
          >
            <Button type="link" danger size="small" icon={<StopOutlined />} data-testid={`apikey-row-revoke-${k.id}`}>
              {t('apiKeys.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <div data-testid="page-api-keys">
      <PageHeader title={t('menu.apiKeys')}>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={reload} data-testid="apikey-reload">
            {t('common.refresh')}
          </Button>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="apikey-create"
            onClick={() => {
              form.resetFields();
              form.setFieldsValue({ orgId: user.orgId });
              setCreating(true);
            }}
          >
            {t('apiKeys.create')}
          </Button>
        </Space>
      </PageHeader>
      <Card size="small">
        <Table<ApiKey>
          rowKey="id"
          size="middle"
          loading={loading}
          columns={columns}
          dataSource={keys}
          scroll={{ x: 1100 }}
          rowClassName={(k) => (k.revokedAt ? 'cf-row-muted' : '')}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
          data-testid="apikey-table"
        />
      </Card>

      <Modal
        title={t('apiKeys.create')}
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => void submit().catch(() => undefined)}
        confirmLoading={saving}
        okText={t('common.create')}
        okButtonProps={{ 'data-testid': 'apikey-submit' }}
        forceRender
      >
        <Form<CreateForm> form={form} layout="vertical" name="apikey-create" autoComplete="off">
          <Form.Item name="name" label={t('apiKeys.name')} rules={[{ required: true, whitespace: true, message: t('apiKeys.nameRequired') }, { max: 100 }]}>
            <Input data-testid="apikey-name" maxLength={100} placeholder={t('apiKeys.namePlaceholder')} />
          </Form.Item>
          <Form.Item name="orgId" label={t('apiKeys.org')} rules={[{ required: true, message: t('users.orgRequired') }]}>
            <OrgTreeSelect
              orgs={orgs.length ? orgs : []}
              testId="apikey-orgId"
              onChange={(id) => {
                const allowed = rolesForKind(roles, id ? orgById.get(id)?.kind : undefined);
                const cur = (form.getFieldValue('roles') as string[] | undefined) ?? [];
                form.setFieldsValue({ orgId: id, roles: cur.filter((r) => allowed.includes(r)) });
              }}
            />
          </Form.Item>
          <Form.Item name="roles" label={t('apiKeys.roles')} rules={[{ required: true, type: 'array', min: 1, message: t('users.rolesRequired') }]}>
            <Select
              mode="multiple"
              data-testid="apikey-roles"
              disabled={!orgId}
              placeholder={orgId ? undefined : t('users.rolesSelectOrgFirst')}
              options={allowedRoles.map((r) => ({ value: r, label: names.role(r) }))}
            />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        title={t('apiKeys.secretTitle')}
        open={!!secret}
        closable={false}
        mask={{ closable: false }}
        keyboard={false}
        onCancel={() => setSecret(null)}
        footer={[
          <Button key="copy" icon={<CopyOutlined />} onClick={() => void copySecret()} data-testid="apikey-secret-copy">
            {t('common.copy')}
          </Button>,
          <Button key="done" type="primary" onClick={() => setSecret(null)} data-testid="apikey-secret-done">
            {t('apiKeys.secretDone')}
          </Button>,
        ]}
      >
        <Alert type="warning" showIcon title={t('apiKeys.secretWarning')} />
        {secret && (
          <>
            <div className="cf-secret" data-testid="apikey-secret">
              {secret.secret}
            </div>
            <Typography.Text type="secondary">
              {secret.key.name} · <span className="cf-mono">{secret.key.prefix}…</span> · {secret.key.orgName}
            </Typography.Text>
          </>
        )}
      </Modal>
    </div>
  );
}
