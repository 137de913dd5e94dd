import { useEffect, useState } from 'react';
import { Alert, Button, Card, Checkbox, Drawer, Form, Input, Modal, Radio, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import { useAuth, useUser } from '../../auth/AuthContext.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { PreviewBox, TemplateStatusTag, useCodeLabel, type Signature, type Template, type TextPreview } from './shared.tsx';

interface EditorValues {
  name: string;
  signatureId: string;
  category: 'NOTIFICATION' | 'MARKETING';
  body: string;
}

/** Waits this long after the last keystroke before asking the server for a preview. */
const PREVIEW_DELAY_MS = 300;

/** Template editor: the server renders the preview, so segments and cost are counted exactly as when sending. */
function TemplateEditor({ open, editing, signatures, onClose, onSaved }: { open: boolean; editing: Template | null; signatures: Signature[]; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const { showError, showSuccess } = useFeedback();
  const [form] = Form.useForm<EditorValues>();
  const [preview, setPreview] = useState<TextPreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const signatureId = Form.useWatch('signatureId', form);
  const category = Form.useWatch('category', form);
  const body = Form.useWatch('body', form);

  useEffect(() => {
    if (!open) return;
    form.setFieldsValue(editing ? { name: editing.name, signatureId: editing.signatureId, category: editing.category, body: editing.body } : { name: '', signatureId: signatures[0]?.id, category: 'NOTIFICATION', body: '' });
    setPreview(null);
  }, [open, editing, signatures, form]);

  useEffect(() => {
    if (!open || !signatureId || !category || !body) {
      setPreview(null);
      setPreviewError(null);
      return;
    }
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      api
        .post<TextPreview>('/sms/templates/preview', { signatureId, category, body }, { signal: ctrl.signal })
        .then((p) => {
          setPreview(p);
          setPreviewError(null);
        })
        .catch((err: unknown) => {
          if (ctrl.signal.aborted) return;
          setPreview(null);
          setPreviewError(err instanceof Error ? err.message : String(err));
        });
    }, PREVIEW_DELAY_MS);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [open, signatureId, category, body]);

  const save = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      if (editing) await api.put<Template>(`/sms/templates/${editing.id}`, { signatureId: v.signatureId, category: v.category, body: v.body });
      else await api.post<Template>('/sms/templates', v);
      showSuccess(t('sms.tpl.saved'));
      onSaved();
    } catch (err) {
      showError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size="large"
      title={editing ? `${t('sms.tpl.edit')} ${editing.name} v${editing.version}` : t('sms.tpl.new')}
      extra={
        <Button type="primary" loading={saving} onClick={() => void save()} data-testid="sms-template-save">
          {t('common.save')}
        </Button>
      }
      data-testid="sms-template-editor"
    >
      {editing?.status === 'APPROVED' && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('sms.tpl.editApprovedHint', { version: editing.version + 1 })} />}
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t('sms.tpl.name')} extra={t('sms.tpl.nameHint')} rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9_.-]{0,63}$/ }]}>
          <Input disabled={!!editing} data-testid="sms-template-name" />
        </Form.Item>
        <Form.Item name="signatureId" label={t('sms.signature')} rules={[{ required: true }]}>
          <Select options={signatures.map((s) => ({ value: s.id, label: `【${s.text}】` }))} data-testid="sms-template-signature" />
        </Form.Item>
        <Form.Item name="category" label={t('sms.tpl.category')} rules={[{ required: true }]}>
          <Radio.Group
            options={(['NOTIFICATION', 'MARKETING'] as const).map((c) => ({ value: c, label: t(`sms.category.${c}`) }))}
            optionType="button"
            data-testid="sms-template-category"
          />
        </Form.Item>
        <Form.Item name="body" label={t('sms.tpl.body')} extra={t('sms.tpl.bodyHint')} rules={[{ required: true, max: 500 }]}>
          <Input.TextArea autoSize={{ minRows: 4, maxRows: 10 }} showCount maxLength={500} data-testid="sms-template-body" />
        </Form.Item>
      </Form>
      <Card size="small" title={t('sms.preview')}>
        {previewError ? <Alert type="error" showIcon title={previewError} data-testid="sms-preview-error" /> : <PreviewBox preview={preview} />}
      </Card>
    </Drawer>
  );
}

/** 短信模板: signatures, every template version, the editor with live preview, and the two-person approval. */
export default function TemplatesPage() {
  const t = useT();
  const user = useUser();
  const { can } = useAuth();
  const label = useCodeLabel();
  const { showError, showSuccess } = useFeedback();
  const [onlyCurrent, setOnlyCurrent] = useState(true);
  const [editor, setEditor] = useState<{ open: boolean; editing: Template | null }>({ open: false, editing: null });
  const [rejecting, setRejecting] = useState<Template | null>(null);
  const [rejectReason, setRejectReason] = useState('');
  const [newSignature, setNewSignature] = useState('');
  const templates = useLoad((signal) => api.get<{ items: Template[] }>('/sms/templates', undefined, { signal }), []);
  const signatures = useLoad((signal) => api.get<{ items: Signature[] }>('/sms/signatures', undefined, { signal }), []);
  const mayManage = can('sms.template.manage');
  const mayApprove = can('sms.template.approve');
  const ownSignatures = (signatures.data?.items ?? []).filter((s) => s.orgId === user.orgId);

  const run = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      showSuccess(done);
      templates.reload();
    } catch (err) {
      showError(err);
    }
  };

  const addSignature = () =>
    run(async () => {
      await api.post('/sms/signatures', { text: newSignature });
      setNewSignature('');
      signatures.reload();
    }, t('sms.signature.added'));

  const items = (templates.data?.items ?? []).filter((tpl) => !onlyCurrent || tpl.status !== 'SUPERSEDED');

  const columns: TableColumnsType<Template> = [
    { title: t('sms.tpl.name'), dataIndex: 'name', key: 'name', width: 150, render: (v: string, r) => <span data-testid={`sms-template-row-${r.name}-v${r.version}`}>{v}</span> },
    { title: t('sms.tpl.version'), dataIndex: 'version', key: 'version', width: 60, render: (v: number) => `v${v}` },
    { title: t('sms.tpl.category'), dataIndex: 'category', key: 'category', width: 90, render: (v: string) => <Tag color={v === 'MARKETING' ? 'purple' : 'blue'}>{label('sms.category', v)}</Tag> },
    { title: t('sms.tpl.status'), dataIndex: 'status', key: 'status', width: 130, render: (v: string) => <TemplateStatusTag status={v} /> },
    {
      title: t('sms.tpl.body'),
      key: 'preview',
      width: 380,
      render: (_: unknown, r) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text>{`【${r.signature}】${r.body}`}</Typography.Text>
          <Typography.Text type="secondary">{t('sms.tpl.sampleStats', { chars: r.preview.chars, segments: r.preview.segments })}</Typography.Text>
          {r.rejectReason && <Typography.Text type="danger">{`${t('sms.tpl.rejectReason')}：${r.rejectReason}`}</Typography.Text>}
        </Space>
      ),
    },
    { title: t('sms.tpl.author'), dataIndex: 'createdByName', key: 'author', width: 110 },
    { title: t('sms.tpl.decidedBy'), dataIndex: 'decidedByName', key: 'decided', width: 110 },
    { title: t('sms.tpl.updatedAt'), dataIndex: 'updatedAt', key: 'at', width: 150, render: (v: string) => formatDateTime(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 210,
      render: (_: unknown, r) => {
        const mine = r.createdById === user.id;
        return (
          <Space wrap size={4}>
            {mayManage && ['DRAFT', 'REJECTED', 'APPROVED'].includes(r.status) && (
              <Button size="small" onClick={() => setEditor({ open: true, editing: r })} data-testid={`sms-template-edit-${r.id}`}>
                {t('sms.tpl.edit')}
              </Button>
            )}
            {mayManage && r.status === 'DRAFT' && (
              <Button size="small" onClick={() => void run(() => api.post(`/sms/templates/${r.id}/submit`), t('sms.tpl.submitted'))} data-testid={`sms-template-submit-${r.id}`}>
                {t('sms.tpl.submit')}
              </Button>
            )}
            {mayApprove && r.status === 'PENDING_APPROVAL' && (
              <Tooltip title={mine ? t('sms.tpl.selfHint') : undefined}>
                <Space size={4}>
                  <Button
                    size="small"
                    type="primary"
                    disabled={mine}
                    onClick={() => void run(() => api.post(`/sms/templates/${r.id}/approve`), t('sms.tpl.approved'))}
                    data-testid={`sms-template-approve-${r.id}`}
                  >
                    {t('sms.tpl.approve')}
                  </Button>
                  <Button size="small" danger disabled={mine} onClick={() => setRejecting(r)} data-testid={`sms-template-reject-${r.id}`}>
                    {t('sms.tpl.reject')}
                  </Button>
                </Space>
              </Tooltip>
            )}
          </Space>
        );
      },
    },
  ];

  return (
    <div data-testid="page-sms-templates">
      <PageHeader title={t('sms.menu.templates')}>
        <Checkbox checked={onlyCurrent} onChange={(e) => setOnlyCurrent(e.target.checked)}>
          {t('sms.tpl.onlyCurrent')}
        </Checkbox>
        {mayManage && (
          <Button type="primary" icon={<PlusOutlined />} disabled={ownSignatures.length === 0} onClick={() => setEditor({ open: true, editing: null })} data-testid="sms-template-new">
            {t('sms.tpl.new')}
          </Button>
        )}
      </PageHeader>
      <Card size="small" title={t('sms.signatures')} style={{ marginBottom: 12 }}>
        <Space wrap>
          {(signatures.data?.items ?? []).map((s) => (
            <Tag key={s.id} data-testid="sms-signature">{`【${s.text}】`}</Tag>
          ))}
          {signatures.data && signatures.data.items.length === 0 && <Typography.Text type="secondary">{t('sms.signature.none')}</Typography.Text>}
          {mayManage && (
            <Space.Compact>
              <Input value={newSignature} onChange={(e) => setNewSignature(e.target.value)} placeholder={t('sms.signature.hint')} style={{ width: 320 }} data-testid="sms-signature-input" />
              <Button disabled={newSignature.trim().length < 2} onClick={() => void addSignature()} data-testid="sms-signature-add">
                {t('sms.signature.add')}
              </Button>
            </Space.Compact>
          )}
        </Space>
      </Card>
      <Table<Template> rowKey="id" size="small" loading={templates.loading} columns={columns} dataSource={items} pagination={{ pageSize: 20 }} scroll={{ x: 1200 }} />
      <TemplateEditor
        open={editor.open}
        editing={editor.editing}
        signatures={ownSignatures}
        onClose={() => setEditor({ open: false, editing: null })}
        onSaved={() => {
          setEditor({ open: false, editing: null });
          templates.reload();
        }}
      />
      <Modal
        open={!!rejecting}
        title={rejecting ? t('sms.tpl.rejectTitle', { name: `${rejecting.name} v${rejecting.version}` }) : ''}
        okButtonProps={{ danger: true, disabled: rejectReason.trim().length < 2, 'data-testid': 'sms-template-reject-confirm' }}
        onCancel={() => setRejecting(null)}
        onOk={() =>
          void run(async () => {
            await api.post(`/sms/templates/${rejecting!.id}/reject`, { reason: rejectReason.trim() });
            setRejecting(null);
            setRejectReason('');
          }, t('sms.tpl.rejected'))
        }
      >
        <Input.TextArea value={rejectReason} onChange={(e) => setRejectReason(e.target.value)} placeholder={t('sms.tpl.rejectReason')} maxLength={200} data-testid="sms-template-reject-reason" />
      </Modal>
    </div>
  );
}
