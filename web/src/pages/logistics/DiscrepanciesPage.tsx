import { useState } from 'react';
import { Button, Form, Input, Modal, Segmented, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { MessageOutlined, ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { useLabel } from './shared.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

interface Discrepancy {
  id: string;
  shipmentNo: string;
  producerName: string;
  receiverName: string;
  cardNo: string;
  kind: string;
  status: 'OPEN' | 'ANSWERED';
  openedAt: string;
  answer: string | null;
  answeredAt: string | null;
}

/** 差异处理: what receipt found wrong; the producer answers each one. */
export default function DiscrepanciesPage() {
  const t = useT();
  const label = useLabel();
  const { can } = useAuth();
  const { showError, showSuccess } = useFeedback();
  const [status, setStatus] = useState<'OPEN' | 'ANSWERED' | 'ALL'>('OPEN');
  const [answering, setAnswering] = useState<Discrepancy | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ answer: string }>();
  const [page, setPage] = useState({ current: 1, size: 50 });
  const canAnswer = can('production.report');

  const { data, loading, reload } = useLoad(
    (signal) =>
      api.get<{ items: Discrepancy[]; total: number }>('/discrepancies', { status: status === 'ALL' ? undefined : status, limit: page.size, offset: (page.current - 1) * page.size }, { signal }),
    [status, page.current, page.size],
  );

  const submit = async () => {
    if (!answering) return;
    const v = await form.validateFields();
    setBusy(true);
    try {
      await api.post(`/discrepancies/${encodeURIComponent(answering.id)}/answer`, { answer: v.answer.trim() });
      showSuccess(t('logistics.disc.answered'));
      setAnswering(null);
      reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const columns: TableColumnsType<Discrepancy> = [
    { title: t('logistics.shipmentNo'), dataIndex: 'shipmentNo', key: 'no', width: 190, render: (v: string) => <span className="cf-mono cf-nowrap">{v}</span> },
    { title: t('logistics.cardNo'), dataIndex: 'cardNo', key: 'cardNo', width: 140, render: (v: string) => <span className="cf-mono">{v}</span> },
    {
      title: t('logistics.disc.kind'),
      dataIndex: 'kind',
      key: 'kind',
      width: 100,
      render: (k: string) => (
        <Tag color={k === 'UNEXPECTED' ? 'orange' : 'red'} data-kind={k}>
          {label(`logistics.disc.kind.${k}`)}
        </Tag>
      ),
    },
    { title: t('logistics.producer'), dataIndex: 'producerName', key: 'producer' },
    { title: t('logistics.receiver'), dataIndex: 'receiverName', key: 'receiver' },
    { title: t('logistics.disc.openedAt'), dataIndex: 'openedAt', key: 'openedAt', width: 170, render: (v: string) => formatDateTime(v) },
    {
      title: t('logistics.status'),
      dataIndex: 'status',
      key: 'status',
      width: 90,
      render: (s: string) => (
        <Tag color={s === 'OPEN' ? 'processing' : 'success'} data-status={s}>
          {label(`logistics.disc.status.${s}`)}
        </Tag>
      ),
    },
    { title: t('logistics.disc.answer'), dataIndex: 'answer', key: 'answer', render: (v: string | null) => v ?? '' },
    ...(canAnswer
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 100,
            render: (_: unknown, d: Discrepancy) =>
              d.status === 'OPEN' ? (
                <Button
                  size="small"
                  icon={<MessageOutlined />}
                  onClick={() => {
                    form.resetFields();
                    setAnswering(d);
                  }}
                  data-testid={`disc-answer-${d.id}`}
                >
                  {t('logistics.disc.answer')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <div data-testid="page-discrepancies">
      <PageHeader title={t('logistics.menu.discrepancies')}>
        <Space>
          <Segmented
            value={status}
            onChange={(v) => {
              setStatus(v as 'OPEN' | 'ANSWERED' | 'ALL');
              setPage((p) => ({ ...p, current: 1 }));
            }}
            options={[
              { value: 'OPEN', label: t('logistics.disc.status.OPEN') },
              { value: 'ANSWERED', label: t('logistics.disc.status.ANSWERED') },
              { value: 'ALL', label: t('common.all') },
            ]}
            data-testid="disc-status-filter"
          />
          <Button icon={<ReloadOutlined />} onClick={reload} data-testid="disc-reload">
            {t('common.refresh')}
          </Button>
        </Space>
      </PageHeader>
      <Table<Discrepancy>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 1200 }}
        data-testid="disc-table"
        onRow={(d) => ({ 'data-testid': `disc-row-${d.id}` }) as React.HTMLAttributes<HTMLElement>}
        pagination={{
          current: page.current,
          pageSize: page.size,
          total: data?.total ?? 0,
          showTotal: (total) => t('common.total', { total }),
          onChange: (current, size) => setPage({ current: size !== page.size ? 1 : current, size }),
        }}
      />
      <Modal
        open={!!answering}
        title={answering ? t('logistics.disc.answerTitle', { cardNo: answering.cardNo }) : ''}
        onCancel={() => setAnswering(null)}
        onOk={submit}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'disc-answer-submit' } as Record<string, string>}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" name="disc-answer">
          <Form.Item name="answer" label={t('logistics.disc.answer')} rules={[{ required: true, whitespace: true, min: 2, max: 500, message: t('logistics.disc.answerRule') }]}>
            <Input.TextArea rows={4} maxLength={500} showCount data-testid="disc-answer-input" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
