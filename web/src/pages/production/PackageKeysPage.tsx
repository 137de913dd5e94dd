import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CopyOutlined, KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import type { ListResponse } from '../../api/types.ts';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { copyText } from '../../lib/clipboard.ts';
import { formatDateTime } from '../../lib/time.ts';
import { PageHeader } from '../../components/PageHeader.tsx';

interface PackageKey {
  id: string;
  kind: 'SM4' | 'SM2';
  fingerprint: string;
  active: boolean;
  createdBy: string;
  createdAt: string;
  retiredAt: string | null;
}

/** 数据包密钥: the producer's SM4 key (shown once) or registered SM2 public key; one active at a time. */
export default function PackageKeysPage() {
  const t = useT();
  const { showError, showSuccess } = useFeedback();
  const [secret, setSecret] = useState<{ hex: string; fingerprint: string } | null>(null);
  const [registering, setRegistering] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ publicKey: string }>();
  const keys = useLoad((signal) => api.get<ListResponse<PackageKey>>('/package-keys', undefined, { signal }), []);

  const createSm4 = async () => {
    setBusy(true);
    try {
      const created = await api.post<{ key: PackageKey; secretHex: string }>('/package-keys', { kind: 'SM4' });
      setSecret({ hex: created.secretHex, fingerprint: created.key.fingerprint });
      keys.reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const registerSm2 = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await api.post('/package-keys', { kind: 'SM2', publicKey: v.publicKey.trim() });
      showSuccess(t('production.keys.registered'));
      setRegistering(false);
      keys.reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const retire = async (k: PackageKey) => {
    try {
      await api.post(`/package-keys/${k.id}/retire`);
      showSuccess(t('production.keys.retired'));
      keys.reload();
    } catch (err) {
      showError(err);
    }
  };

  const columns: TableColumnsType<PackageKey> = [
    { title: t('production.keys.kind'), dataIndex: 'kind', key: 'kind', width: 80 },
    { title: t('production.keys.fingerprint'), dataIndex: 'fingerprint', key: 'fingerprint', render: (v: string) => <span className="cf-mono">{v}</span> },
    { title: t('production.createdAt'), dataIndex: 'createdAt', key: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
    {
      title: t('production.status'),
      key: 'active',
      width: 160,
      render: (_, k) => (k.active ? <Tag color="green">{t('production.keys.active')}</Tag> : <Tag>{t('production.keys.retiredAt', { at: formatDateTime(k.retiredAt) })}</Tag>),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_, k) =>
        k.active ? (
          <Popconfirm title={t('production.keys.confirmRetire')} onConfirm={() => void retire(k)} okButtonProps={{ 'data-testid': 'key-retire-confirm' }}>
            <Button size="small" danger data-testid={`key-retire-${k.id}`}>
              {t('production.keys.retire')}
            </Button>
          </Popconfirm>
        ) : null,
    },
  ];

  return (
    <div data-testid="page-package-keys">
      <PageHeader title={t('production.menu.keys')}>
        <Space>
          <Button type="primary" icon={<PlusOutlined />} loading={busy} onClick={() => void createSm4()} data-testid="key-create-sm4">
            {t('production.keys.createSm4')}
          </Button>
          <Button
            icon={<KeyOutlined />}
            onClick={() => {
              form.resetFields();
              setRegistering(true);
            }}
            data-testid="key-register-sm2"
          >
            {t('production.keys.registerSm2')}
          </Button>
        </Space>
      </PageHeader>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('production.keys.hint')} />
      <Card>
        <Table<PackageKey> rowKey="id" columns={columns} dataSource={keys.data?.items ?? []} loading={keys.loading} pagination={false} data-testid="keys-table" />
      </Card>
      <Modal
        open={secret !== null}
        title={t('production.keys.secretTitle')}
        closable={false}
        maskClosable={false}
        footer={
          <Button type="primary" onClick={() => setSecret(null)} data-testid="key-secret-done">
            {t('production.keys.secretSaved')}
          </Button>
        }
      >
        {secret && (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Alert type="warning" showIcon title={t('production.keys.secretWarning')} />
            <Typography.Paragraph className="cf-mono" style={{ wordBreak: 'break-all' }} data-testid="key-secret">
              {secret.hex}
            </Typography.Paragraph>
            <Typography.Text type="secondary">{t('production.keys.fingerprintIs', { fingerprint: secret.fingerprint })}</Typography.Text>
            <Button
              icon={<CopyOutlined />}
              onClick={() => void copyText(secret.hex).then((ok) => (ok ? showSuccess(t('production.keys.copied')) : showError(new Error(t('production.keys.copyFailed')))))}
              data-testid="key-secret-copy"
            >
              {t('common.copy')}
            </Button>
          </Space>
        )}
      </Modal>
      <Modal
        open={registering}
        title={t('production.keys.registerSm2')}
        onCancel={() => setRegistering(false)}
        onOk={() => void registerSm2()}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'key-sm2-submit' }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="publicKey"
            label={t('production.keys.publicKey')}
            extra={t('production.keys.publicKeyHint')}
            rules={[{ required: true, pattern: /^\s*04[0-9a-fA-F]{128}\s*$/, message: t('production.keys.publicKeyInvalid') }]}
          >
            <Input.TextArea rows={3} className="cf-mono" data-testid="key-sm2-public" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
