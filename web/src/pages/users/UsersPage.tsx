import { useMemo, useState } from 'react';
import { Alert, Button, Card, Checkbox, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined, EyeOutlined, KeyOutlined, LockOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import { fetchOrgs, fetchRoles, rolesForKind } from '../../api/resources.ts';
import type { ListResponse, Org, User, UserStatus } from '../../api/types.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useFeedback } from '../../components/feedback.ts';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { RoleTags } from '../../components/RoleTags.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useLocale, useNames, useT } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { assertPasswordPolicy, PASSWORD_MIN_LENGTH, UNMASK_REASON_MIN, USERNAME_RE } from '../../lib/validation.ts';
import { serverRule } from '../../lib/serverRules.ts';
import { PERM } from '../../nav.tsx';
import { normaliseMobile } from '@shared/validators/phone.ts';
import { PageHeader } from '../../components/PageHeader.tsx';

interface CreateForm {
  username: string;
  displayName: string;
  orgId: string;
  roles: string[];
  phone?: string;
  password: string;
}
interface EditForm {
  displayName: string;
  roles: string[];
  status: UserStatus;
  phone?: string;
  /** remove the stored number (PATCH phone: null) */
  clearPhone?: boolean;
}
interface ResetForm {
  password: string;
  confirm: string;
}
interface RevealForm {
  reason: string;
}

export default function UsersPage() {
  const t = useT();
  const names = useNames();
  const [locale] = useLocale();
  const { can } = useAuth();
  const { showError, showSuccess } = useFeedback();
  const canManage = can(PERM.userManage);
  const canUnmask = can(PERM.piiUnmask);

  const [orgFilter, setOrgFilter] = useState<string | undefined>(undefined);
  const [keyword, setKeyword] = useState('');
  const { data: orgs = [] } = useLoad((signal) => fetchOrgs(signal), []);
  const { data: roles = [] } = useLoad((signal) => fetchRoles(signal), [], { enabled: canManage });
  const { data: users = [], loading, reload } = useLoad(
    async (signal) => (await api.get<ListResponse<User>>('/users', { orgId: orgFilter }, { signal })).items,
    [orgFilter],
  );

  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [revealing, setRevealing] = useState<User | null>(null);
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [createForm] = Form.useForm<CreateForm>();
  const [editForm] = Form.useForm<EditForm>();
  const [resetForm] = Form.useForm<ResetForm>();
  const [revealForm] = Form.useForm<RevealForm>();
  const createOrgId = Form.useWatch('orgId', createForm);
  const clearPhone = Form.useWatch('clearPhone', editForm) === true;

  const orgById = useMemo(() => new Map<string, Org>(orgs.map((o) => [o.id, o])), [orgs]);
  const roleOptions = (orgId: string | undefined, keep: string[] = []) => {
    const allowed = rolesForKind(roles, orgId ? orgById.get(orgId)?.kind : undefined);
    const all = [...allowed, ...keep.filter((r) => !allowed.includes(r))];
    return all.map((r) => ({ value: r, label: names.role(r), disabled: !allowed.includes(r) }));
  };

  const rows = useMemo(() => {
    const q = keyword.trim().toLowerCase();
    if (!q) return users;
    return users.filter((u) => u.username.toLowerCase().includes(q) || u.displayName.toLowerCase().includes(q));
  }, [users, keyword]);

  const run = async (fn: () => Promise<void>) => {
    setSaving(true);
    try {
      await fn();
    } catch (err) {
      showError(err);
    } finally {
      setSaving(false);
    }
  };

  const submitCreate = async () => {
    const v = await createForm.validateFields();
    await run(async () => {
      await api.post<User>('/users', {
        username: v.username.trim(),
        displayName: v.displayName.trim(),
        orgId: v.orgId,
        roles: v.roles,
        password: v.password,
        ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}),
      });
      showSuccess(t('common.created'));
      setCreating(false);
      reload();
    });
  };

  const submitEdit = async () => {
    if (!editing) return;
    const v = await editForm.validateFields();
    await run(async () => {
      const body: Record<string, unknown> = {};
      if (v.displayName.trim() !== editing.displayName) body.displayName = v.displayName.trim();
      if (v.roles.join(',') !== editing.roles.join(',')) body.roles = v.roles;
      if (v.status !== editing.status) body.status = v.status;
      if (v.clearPhone) body.phone = null;
      else if (v.phone?.trim()) body.phone = v.phone.trim();
      if (Object.keys(body).length) await api.patch<User>(`/users/${encodeURIComponent(editing.id)}`, body);
      showSuccess(t('common.saved'));
      setEditing(null);
      setRevealed((r) => {
        const { [editing.id]: _drop, ...rest } = r;
        return rest;
      });
      reload();
    });
  };

  const submitReset = async () => {
    if (!resetting) return;
    const v = await resetForm.validateFields();
    await run(async () => {
      await api.post<void>(`/users/${encodeURIComponent(resetting.id)}/reset-password`, { password: v.password });
      showSuccess(t('users.passwordResetOk'));
      setResetting(null);
      reload();
    });
  };

  const submitReveal = async () => {
    if (!revealing) return;
    const v = await revealForm.validateFields();
    await run(async () => {
      const res = await api.post<{ value: string }>('/pii/unmask', { targetType: 'user', targetId: revealing.id, field: 'phone', reason: v.reason.trim() });
      setRevealed((r) => ({ ...r, [revealing.id]: res.value }));
      setRevealing(null);
    });
  };

  const passwordRules = [{ required: true, message: t('users.passwordRequired') }, serverRule(locale, assertPasswordPolicy, { trim: false })];
  const passwordHint = t('users.passwordHint', { min: PASSWORD_MIN_LENGTH });
  const phoneRules = [serverRule(locale, normaliseMobile)];

  const columns: TableColumnsType<User> = [
    { title: t('users.username'), dataIndex: 'username', key: 'username', fixed: 'left', width: 130, render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    { title: t('users.displayName'), dataIndex: 'displayName', key: 'displayName', width: 110 },
    {
      title: t('users.phone'),
      key: 'phone',
      width: 170,
      render: (_, u) => {
        if (revealed[u.id]) return <Typography.Text copyable className="cf-mono" data-testid={`user-phone-${u.id}`}>{revealed[u.id]}</Typography.Text>;
        if (!u.phoneMasked) return '—';
        return (
          <Space size={4} className="cf-nowrap">
            <span className="cf-mono" data-testid={`user-phone-${u.id}`}>{u.phoneMasked}</span>
            {canUnmask && (
              <Button
                type="link"
                size="small"
                icon={<EyeOutlined />}
                data-testid={`user-row-reveal-${u.id}`}
                onClick={() => {
                  revealForm.resetFields();
                  setRevealing(u);
                }}
              >
                {t('users.reveal')}
              </Button>
            )}
          </Space>
        );
      },
    },
    { title: t('users.org'), dataIndex: 'orgName', key: 'orgName', width: 180 },
    { title: t('users.roles'), dataIndex: 'roles', key: 'roles', render: (r: string[]) => <RoleTags roles={r} /> },
    {
      title: t('users.status'),
      dataIndex: 'status',
      key: 'status',
      width: 80,
      render: (s: UserStatus) => <Tag color={s === 'ACTIVE' ? 'success' : 'default'}>{t(s === 'ACTIVE' ? 'users.status.ACTIVE' : 'users.status.DISABLED')}</Tag>,
    },
    {
      title: t('users.lockedUntil'),
      dataIndex: 'lockedUntil',
      key: 'lockedUntil',
      width: 170,
      render: (v: string | null) =>
        v && new Date(v).getTime() > Date.now() ? (
          <Tag icon={<LockOutlined />} color="error" className="cf-nowrap">
            {formatDateTime(v)}
          </Tag>
        ) : (
          '—'
        ),
    },
    {
      title: t('users.lastLogin'),
      dataIndex: 'lastLoginAt',
      key: 'lastLoginAt',
      width: 170,
      render: (v: string | null) => <span className="cf-nowrap">{v ? formatDateTime(v) : <Typography.Text type="secondary">{t('users.neverLoggedIn')}</Typography.Text>}</span>,
    },
    ...(canManage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right' as const,
            width: 200,
            render: (_: unknown, u: User) => (
              <Space size={0}>
                <Button
                  type="link"
                  size="small"
                  icon={<EditOutlined />}
                  data-testid={`user-row-edit-${u.id}`}
                  onClick={() => {
                    editForm.setFieldsValue({ displayName: u.displayName, roles: u.roles, status: u.status, phone: '', clearPhone: false });
                    setEditing(u);
                  }}
                >
                  {t('common.edit')}
                </Button>
                <Button
                  type="link"
                  size="small"
                  icon={<KeyOutlined />}
                  data-testid={`user-row-reset-${u.id}`}
                  onClick={() => {
                    resetForm.resetFields();
                    setResetting(u);
                  }}
                >
                  {t('users.resetPassword')}
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <div data-testid="page-users">
      <PageHeader title={t('menu.users')}>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={reload} data-testid="user-reload">
            {t('common.refresh')}
          </Button>
          {canManage && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              data-testid="user-create"
              onClick={() => {
                createForm.resetFields();
                if (orgFilter) createForm.setFieldsValue({ orgId: orgFilter });
                setCreating(true);
              }}
            >
              {t('users.create')}
            </Button>
          )}
        </Space>
      </PageHeader>
      <Card size="small">
        <Space wrap className="cf-filters">
          <OrgTreeSelect orgs={orgs} value={orgFilter} onChange={setOrgFilter} allowClear placeholder={t('users.filterOrg')} testId="user-filter-org" style={{ width: 280 }} />
          <Input.Search allowClear placeholder={t('users.filterKeyword')} onChange={(e) => setKeyword(e.target.value)} style={{ width: 220 }} data-testid="user-filter-keyword" />
        </Space>
        <Table<User>
          rowKey="id"
          size="middle"
          loading={loading}
          columns={columns}
          dataSource={rows}
          scroll={{ x: 1400 }}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
          data-testid="user-table"
        />
      </Card>

      <Modal
        title={t('users.create')}
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => void submitCreate().catch(() => undefined)}
        confirmLoading={saving}
        okText={t('common.save')}
        okButtonProps={{ 'data-testid': 'user-submit' }}
        forceRender
        width={560}
      >
        <Form<CreateForm> form={createForm} layout="vertical" name="user-create" autoComplete="off">
          <Form.Item
            name="username"
            label={t('users.username')}
            rules={[
              { required: true, message: t('users.usernameRequired') },
              { pattern: USERNAME_RE, message: t('users.usernameFormat') },
            ]}
          >
            <Input data-testid="user-username" maxLength={40} autoComplete="off" />
          </Form.Item>
          <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, whitespace: true, message: t('users.displayNameRequired') }, { max: 50 }]}>
            <Input data-testid="user-displayName" maxLength={50} />
          </Form.Item>
          <Form.Item name="orgId" label={t('users.org')} rules={[{ required: true, message: t('users.orgRequired') }]}>
            <OrgTreeSelect
              orgs={orgs}
              testId="user-orgId"
              onChange={(id) => {
                const allowed = rolesForKind(roles, id ? orgById.get(id)?.kind : undefined);
                const current = createForm.getFieldValue('roles') as string[] | undefined;
                createForm.setFieldsValue({ orgId: id, roles: (current ?? []).filter((r) => allowed.includes(r)) });
              }}
            />
          </Form.Item>
          <Form.Item name="roles" label={t('users.roles')} rules={[{ required: true, type: 'array', min: 1, message: t('users.rolesRequired') }]}>
            <Select
              mode="multiple"
              data-testid="user-roles"
              options={roleOptions(createOrgId)}
              placeholder={createOrgId ? undefined : t('users.rolesSelectOrgFirst')}
              disabled={!createOrgId}
            />
          </Form.Item>
          <Form.Item name="phone" label={t('users.phone')} rules={phoneRules}>
            <Input data-testid="user-phone" maxLength={20} inputMode="tel" />
          </Form.Item>
          <Form.Item name="password" label={t('users.password')} extra={passwordHint} rules={passwordRules}>
            <Input.Password data-testid="user-password" autoComplete="new-password" maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        title={editing ? `${t('users.edit')}：${editing.username}` : t('users.edit')}
        open={!!editing}
        onCancel={() => setEditing(null)}
        onOk={() => void submitEdit().catch(() => undefined)}
        confirmLoading={saving}
        okText={t('common.save')}
        okButtonProps={{ 'data-testid': 'user-edit-submit' }}
        forceRender
        width={560}
      >
        <Form<EditForm> form={editForm} layout="vertical" name="user-edit" autoComplete="off">
          <Form.Item label={t('users.org')}>{editing?.orgName}</Form.Item>
          <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, whitespace: true, message: t('users.displayNameRequired') }, { max: 50 }]}>
            <Input data-testid="user-edit-displayName" maxLength={50} />
          </Form.Item>
          <Form.Item name="roles" label={t('users.roles')} rules={[{ required: true, type: 'array', min: 1, message: t('users.rolesRequired') }]}>
            <Select mode="multiple" data-testid="user-edit-roles" options={roleOptions(editing?.orgId, editing?.roles)} />
          </Form.Item>
          <Form.Item name="status" label={t('users.status')}>
            <Select
              data-testid="user-edit-status"
              options={[
                { value: 'ACTIVE', label: t('users.status.ACTIVE') },
                { value: 'DISABLED', label: t('users.status.DISABLED') },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="phone"
            label={t('users.phone')}
            extra={clearPhone ? t('users.phoneWillClear') : editing?.phoneMasked ? `${editing.phoneMasked}（${t('users.phoneKeep')}）` : undefined}
            rules={clearPhone ? [] : phoneRules}
            style={editing?.phoneMasked ? { marginBottom: 8 } : undefined}
          >
            <Input data-testid="user-edit-phone" maxLength={20} inputMode="tel" placeholder={t('users.phoneKeep')} disabled={clearPhone} />
          </Form.Item>
          {editing?.phoneMasked && (
            <Form.Item name="clearPhone" valuePropName="checked">
              <Checkbox
                data-testid="user-edit-phone-clear"
                onChange={(e) => {
                  if (e.target.checked) editForm.setFieldsValue({ phone: '' });
                  void editForm.validateFields(['phone']).catch(() => undefined);
                }}
              >
                {t('users.phoneClear')}
              </Checkbox>
            </Form.Item>
          )}
        </Form>
      </Modal>

      <Modal
        title={resetting ? t('users.resetPasswordFor', { name: `${resetting.displayName}（${resetting.username}）` }) : ''}
        open={!!resetting}
        onCancel={() => setResetting(null)}
        onOk={() => void submitReset().catch(() => undefined)}
        confirmLoading={saving}
        okText={t('common.ok')}
        okButtonProps={{ 'data-testid': 'user-reset-submit' }}
        forceRender
      >
        <Form<ResetForm> form={resetForm} layout="vertical" name="user-reset" autoComplete="off">
          {/* lets password managers tie the new password to the right account */}
          <input type="text" name="username" autoComplete="username" value={resetting?.username ?? ''} readOnly hidden />
          <Form.Item name="password" label={t('users.newPassword')} extra={passwordHint} rules={passwordRules}>
            <Input.Password data-testid="user-reset-password" autoComplete="new-password" maxLength={200} />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('users.confirmPassword')}
            dependencies={['password']}
            rules={[
              { required: true, message: t('users.passwordRequired') },
              ({ getFieldValue }) => ({
                validator: (_, v: string | undefined) => (!v || v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('users.passwordMismatch')))),
              }),
            ]}
          >
            <Input.Password data-testid="user-reset-confirm" autoComplete="new-password" maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        title={t('users.revealTitle')}
        open={!!revealing}
        onCancel={() => setRevealing(null)}
        onOk={() => void submitReveal().catch(() => undefined)}
        confirmLoading={saving}
        okText={t('users.reveal')}
        okButtonProps={{ 'data-testid': 'user-reveal-submit' }}
        forceRender
      >
        <Alert type="warning" showIcon title={t('users.revealNotice')} style={{ marginBottom: 16 }} />
        {revealing && (
          <Typography.Paragraph>
            {revealing.displayName}（{revealing.username}）：<span className="cf-mono">{revealing.phoneMasked}</span>
          </Typography.Paragraph>
        )}
        <Form<RevealForm> form={revealForm} layout="vertical" name="user-reveal">
          <Form.Item
            name="reason"
            label={t('users.revealReason')}
            rules={[
              { required: true, message: t('users.revealReasonMin') },
              { validator: (_, v: string | undefined) => ((v?.trim().length ?? 0) >= UNMASK_REASON_MIN ? Promise.resolve() : Promise.reject(new Error(t('users.revealReasonMin')))) },
            ]}
          >
            <Input.TextArea data-testid="user-reveal-reason" rows={3} maxLength={500} showCount placeholder={t('users.revealReasonPlaceholder')} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
