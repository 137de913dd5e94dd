import { useState } from 'react';
import { Button, Card, Col, Form, InputNumber, Modal, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import type { ListResponse, PagedResponse, Programme } from '../../api/types.ts';
import { fetchProgrammes } from '../../api/resources.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { BatchDrawer, useBatchColumns, type Batch } from './shared.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

interface Waiting {
  programmeId: string;
  programmeName: string;
  programmeKind: string;
  waiting: number;
  producers: { producerOrgId: string; producerName: string; remakes: number }[];
}

/** 制卡批次: what waits per programme, ordering a batch, and every batch with its SLA standing. */
export default function BatchesPage() {
  const t = useT();
  const { can } = useAuth();
  const { showError, showSuccess } = useFeedback();
  const [filter, setFilter] = useState<{ programmeId?: string; status?: string }>({});
  const [page, setPage] = useState({ current: 1, size: 20 });
  const [open, setOpen] = useState<string | null>(null);
  const [ordering, setOrdering] = useState<Waiting | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ producerOrgId: string; maxCards?: number }>();
  const columns = useBatchColumns();

  const waiting = useLoad((signal) => api.get<ListResponse<Waiting>>('/production/waiting', undefined, { signal }), []);
  const programmes = useLoad((signal) => fetchProgrammes(signal), []);
  const batches = useLoad(
    (signal) => api.get<PagedResponse<Batch>>('/batches', { ...filter, limit: page.size, offset: (page.current - 1) * page.size }, { signal }),
    [filter.programmeId, filter.status, page.current, page.size],
  );

  const producersOf = (programmeId: string) => (programmes.data ?? []).find((p: Programme) => p.id === programmeId)?.producers ?? [];

  const submit = async () => {
    if (!ordering) return;
    const v = await form.validateFields();
    setBusy(true);
    try {
      const made = await api.post<ListResponse<Batch>>('/batches', { programmeId: ordering.programmeId, producerOrgId: v.producerOrgId, ...(v.maxCards ? { maxCards: v.maxCards } : {}) });
      showSuccess(t('production.created', { batches: made.items.length, cards: made.items.reduce((n, b) => n + b.cardCount, 0) }));
      setOrdering(null);
      waiting.reload();
      batches.reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="page-batches">
      <PageHeader title={t('production.menu.batches')}>
        <Button
          icon={<ReloadOutlined />}
          onClick={() => {
            waiting.reload();
            batches.reload();
          }}
          data-testid="batches-reload"
        >
          {t('common.refresh')}
        </Button>
      </PageHeader>
      <Row gutter={16} style={{ marginBottom: 16 }}>
        {(waiting.data?.items ?? []).map((w) => (
          <Col key={w.programmeId} xs={24} md={12} xl={8}>
            <Card size="small" data-testid={`waiting-${w.programmeId}`}>
              <Space style={{ width: '100%', justifyContent: 'space-between' }} align="start">
                <Statistic title={`${w.programmeName} · ${t('production.waiting')}`} value={w.waiting} />
                {can('batch.manage') && (
                  <Button
                    type="primary"
                    icon={<PlusOutlined />}
                    onClick={() => {
                      form.resetFields();
                      setOrdering(w);
                    }}
                    data-testid={`batch-create-${w.programmeId}`}
                  >
                    {t('production.createBatch')}
                  </Button>
                )}
              </Space>
              {w.producers.some((p) => p.remakes > 0) && (
                <Typography.Text type="secondary">
                  {w.producers
                    .filter((p) => p.remakes > 0)
                    .map((p) => t('production.remakes', { producer: p.producerName, count: p.remakes }))
                    .join('；')}
                </Typography.Text>
              )}
            </Card>
          </Col>
        ))}
      </Row>
      <Card>
        <Space style={{ marginBottom: 12 }} wrap>
          <Select
            allowClear
            style={{ width: 220 }}
            placeholder={t('production.programme')}
            options={(programmes.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
            value={filter.programmeId}
            onChange={(v: string | undefined) => {
              setFilter((f) => ({ ...f, programmeId: v }));
              setPage((p) => ({ ...p, current: 1 }));
            }}
            data-testid="batches-filter-programme"
          />
          <Select
            allowClear
            style={{ width: 160 }}
            placeholder={t('production.status')}
            options={(['OPEN', 'COMPLETED', 'DESTROYED'] as const).map((s) => ({ value: s, label: t(`production.status.${s}`) }))}
            value={filter.status}
            onChange={(v: string | undefined) => {
              setFilter((f) => ({ ...f, status: v }));
              setPage((p) => ({ ...p, current: 1 }));
            }}
            data-testid="batches-filter-status"
          />
        </Space>
        <Table<Batch>
          rowKey="id"
          size="middle"
          columns={[
            ...columns,
            {
              title: t('common.actions'),
              key: 'actions',
              width: 90,
              render: (_, b) => (
                <Button size="small" onClick={() => setOpen(b.id)} data-testid={`batch-open-${b.batchNo}`}>
                  {t('production.details')}
                </Button>
              ),
            },
          ]}
          dataSource={batches.data?.items ?? []}
          loading={batches.loading}
          data-testid="batches-table"
          pagination={{ current: page.current, pageSize: page.size, total: batches.data?.total ?? 0, onChange: (current, size) => setPage({ current, size }) }}
        />
      </Card>
      <BatchDrawer batchId={open} onClose={() => setOpen(null)} />
      <Modal
        open={ordering !== null}
        title={ordering ? `${t('production.createBatch')} · ${ordering.programmeName}` : ''}
        onCancel={() => setOrdering(null)}
        onOk={() => void submit()}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'batch-create-submit' }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item name="producerOrgId" label={t('production.producer')} rules={[{ required: true, message: t('production.producerRequired') }]}>
            <Select options={ordering ? producersOf(ordering.programmeId).map((p) => ({ value: p.id, label: p.name })) : []} data-testid="batch-create-producer" />
          </Form.Item>
          <Form.Item name="maxCards" label={t('production.maxCards')} extra={t('production.maxCardsHint')}>
            <InputNumber min={1} max={1_000_000} style={{ width: '100%' }} data-testid="batch-create-max" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
