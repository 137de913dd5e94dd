import { useState } from 'react';
import { Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Switch, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import type { ListResponse } from '../../api/types.ts';
import { fetchProgrammes } from '../../api/resources.ts';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { PageHeader } from '../../components/PageHeader.tsx';

interface Rule {
  id: string;
  programmeId: string;
  programmeName: string;
  producerOrgId: string;
  producerName: string;
  dailyAt: string | null;
  whenWaiting: number | null;
  enabled: boolean;
  lastRunAt: string | null;
}

interface RuleForm {
  programmeId: string;
  producerOrgId: string;
  dailyAt?: string;
  whenWaiting?: number | null;
  enabled: boolean;
}

/** 批次规则: standing orders that batch waiting applications every day at a time and/or when N wait. */
export default function BatchRulesPage() {
  const t = useT();
  const { showError, showSuccess } = useFeedback();
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<RuleForm>();
  const programmeId = Form.useWatch('programmeId', form);
  const rules = useLoad((signal) => api.get<ListResponse<Rule>>('/batch-rules', undefined, { signal }), []);
  const programmes = useLoad((signal) => fetchProgrammes(signal), []);
  const producers = (programmes.data ?? []).find((p) => p.id === programmeId)?.producers ?? [];

  const openEditor = (rule: Rule | 'new') => {
    form.resetFields();
    if (rule !== 'new') form.setFieldsValue({ programmeId: rule.programmeId, producerOrgId: rule.producerOrgId, dailyAt: rule.dailyAt ?? undefined, whenWaiting: rule.whenWaiting, enabled: rule.enabled });
    else form.setFieldsValue({ enabled: true });
    setEditing(rule);
  };

  const save = async () => {
    const v = await form.validateFields();
    const body = { dailyAt: v.dailyAt ? v.dailyAt : null, whenWaiting: v.whenWaiting ?? null, enabled: v.enabled };
    setBusy(true);
    try {
      if (editing === 'new') await api.post('/batch-rules', { programmeId: v.programmeId, producerOrgId: v.producerOrgId, ...body });
      else if (editing) await api.patch(`/batch-rules/${editing.id}`, body);
      showSuccess(t('production.rules.saved'));
      setEditing(null);
      rules.reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (rule: Rule) => {
    try {
      await api.del(`/batch-rules/${rule.id}`);
      showSuccess(t('production.rules.deleted'));
      rules.reload();
    } catch (err) {
      showError(err);
    }
  };

  const columns: TableColumnsType<Rule> = [
    { title: t('production.programme'), dataIndex: 'programmeName', key: 'programme' },
    { title: t('production.producer'), dataIndex: 'producerName', key: 'producer' },
    { title: t('production.rules.dailyAt'), dataIndex: 'dailyAt', key: 'dailyAt', width: 120, render: (v: string | null) => v ?? '—' },
    { title: t('production.rules.whenWaiting'), dataIndex: 'whenWaiting', key: 'whenWaiting', width: 140, render: (v: number | null) => v ?? '—' },
    { title: t('production.rules.enabled'), dataIndex: 'enabled', key: 'enabled', width: 80, render: (v: boolean) => (v ? t('common.yes') : t('common.no')) },
    { title: t('production.rules.lastRunAt'), dataIndex: 'lastRunAt', key: 'lastRunAt', width: 170, render: (v: string | null) => formatDateTime(v) || '—' },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 160,
      render: (_, r) => (
        <Space size={4}>
          <Button size="small" onClick={() => openEditor(r)} data-testid={`rule-edit-${r.id}`}>
            {t('common.edit')}
          </Button>
          <Popconfirm title={t('production.rules.confirmDelete')} onConfirm={() => void remove(r)} okButtonProps={{ 'data-testid': 'rule-delete-confirm' }}>
            <Button size="small" danger data-testid={`rule-delete-${r.id}`}>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <div data-testid="page-batch-rules">
      <PageHeader title={t('production.menu.rules')} hint={t('production.rules.hint')}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => openEditor('new')} data-testid="rule-create">
          {t('common.create')}
        </Button>
      </PageHeader>
      <Card>
        <Table<Rule> rowKey="id" columns={columns} dataSource={rules.data?.items ?? []} loading={rules.loading} pagination={false} data-testid="rules-table" />
      </Card>
      <Modal
        open={editing !== null}
        title={t('production.menu.rules')}
        onCancel={() => setEditing(null)}
        onOk={() => void save()}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'rule-submit' }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item name="programmeId" label={t('production.programme')} rules={[{ required: true, message: t('production.programmeRequired') }]}>
            <Select disabled={editing !== 'new'} options={(programmes.data ?? []).map((p) => ({ value: p.id, label: p.name }))} data-testid="rule-programme" />
          </Form.Item>
          <Form.Item name="producerOrgId" label={t('production.producer')} rules={[{ required: true, message: t('production.producerRequired') }]}>
            <Select disabled={editing !== 'new'} options={producers.map((p) => ({ value: p.id, label: p.name }))} data-testid="rule-producer" />
          </Form.Item>
          <Form.Item
            name="dailyAt"
            label={t('production.rules.dailyAt')}
            extra={t('production.rules.dailyAtHint')}
            rules={[{ pattern: /^([01][0-9]|2[0-3]):[0-5][0-9]$/, message: t('production.rules.dailyAtInvalid') }]}
          >
            <Input placeholder="09:00" style={{ width: 120 }} data-testid="rule-daily-at" />
          </Form.Item>
          <Form.Item name="whenWaiting" label={t('production.rules.whenWaiting')}>
            <InputNumber min={1} max={100_000} style={{ width: 160 }} data-testid="rule-when-waiting" />
          </Form.Item>
          <Form.Item name="enabled" label={t('production.rules.enabled')} valuePropName="checked">
            <Switch data-testid="rule-enabled" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
