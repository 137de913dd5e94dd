import { useState } from 'react';
import { Alert, Button, Card, Empty, Form, Input, Modal, Select, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CheckOutlined, DeleteOutlined, DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { api, isApiError, requestRaw } from '../../api/client.ts';
import { messageForCode } from '../../lib/serverRules.ts';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useLocale, useT } from '../../i18n/index.tsx';
import { CsvUploadCard, DecisionButtons, saveResponse } from './shared.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

interface BatchOption {
  id: string;
  batchNo: string;
  status?: string;
}

interface PendingCard {
  cardId: string;
  packingSeq: string;
  applicationNo: string;
}

interface Outcome {
  batchNo: string;
  applied: number;
  unchanged: number;
  remaining: number;
  batchStatus: string;
}

interface ProduceValues {
  cardNo: string;
  chipUid: string;
  chipDataSm3: string;
}

interface WasteValues {
  wasteReason: string;
  wasteCause: 'AUTHORITY_DATA' | 'PRODUCER';
}

const TEMPLATE_PATH = (batchId: string) => `/batches/${encodeURIComponent(batchId)}/results-template.csv`;

/** The template's rows (cardId, …, packingSeq, applicationNo): plain values the server writes without quotes. */
function pendingCards(csv: string): PendingCard[] {
  const [header, ...lines] = csv.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const names = (header ?? '').split(',');
  const at = (name: string) => names.indexOf(name);
  return lines.map((line) => {
    const f = line.split(',');
    return { cardId: f[at('cardId')] ?? '', packingSeq: f[at('packingSeq')] ?? '', applicationNo: (f[at('applicationNo')] ?? '').replace(/^"|"$/g, '') };
  });
}

export default function ProductionResultsPage() {
  const t = useT();
  const { showError, showSuccess } = useFeedback();
  const [locale] = useLocale();
  const [batchId, setBatchId] = useState<string | undefined>();
  const [producing, setProducing] = useState<PendingCard | null>(null);
  const [wasting, setWasting] = useState<PendingCard | null>(null);
  const [busy, setBusy] = useState(false);
  const [downloading, setDownloading] = useState(false);
  const [completed, setCompleted] = useState<string | null>(null);
  const [produceForm] = Form.useForm<ProduceValues>();
  const [wasteForm] = Form.useForm<WasteValues>();

  const { data: batches, reload: reloadBatches } = useLoad((signal) => api.get<{ items: BatchOption[] }>('/batches', { status: 'OPEN', limit: 200 }, { signal }), []);
  const { data: cards, loading, reload } = useLoad(
    async (signal) => (batchId ? pendingCards(await (await requestRaw('GET', TEMPLATE_PATH(batchId), { accept: 'text/csv', signal })).text()) : []),
    [batchId],
  );
  const options = (batches?.items ?? []).filter((b) => !b.status || b.status === 'OPEN');
  const batchNo = options.find((b) => b.id === batchId)?.batchNo ?? '';

  const afterReport = (o: Outcome) => {
    showSuccess(t('cards.results.ok', { applied: o.applied, unchanged: o.unchanged, remaining: o.remaining }));
    if (o.batchStatus === 'COMPLETED') {
      setCompleted(o.batchNo);
      reloadBatches();
    }
    reload();
  };

  const send = async (item: Record<string, string>) => {
    if (!batchId) return;
    setBusy(true);
    try {
      afterReport(await api.post<Outcome>(`/batches/${encodeURIComponent(batchId)}/results`, { items: [item] }));
      setProducing(null);
      setWasting(null);
    } catch (err) {
      showError(err);
      // Put each problem under the field it is about (e.g. a chip digest that does not match the order).
      const rows = isApiError(err, 'RESULTS_INVALID') ? ((err.details as { rows?: { field: string; code: string }[] } | null)?.rows ?? []) : [];
      const fieldErrors = (names: readonly string[]) => rows.filter((r) => names.includes(r.field)).map((r) => ({ name: r.field, errors: [messageForCode(locale, r.code)] }));
      if (item.outcome === 'PRODUCED') produceForm.setFields(fieldErrors(['cardNo', 'chipUid', 'chipDataSm3']) as Parameters<typeof produceForm.setFields>[0]);
      else wasteForm.setFields(fieldErrors(['wasteReason', 'wasteCause']) as Parameters<typeof wasteForm.setFields>[0]);
    } finally {
      setBusy(false);
    }
  };

  const submitProduce = async () => {
    if (!producing) return;
    const v = await produceForm.validateFields();
    await send({ cardId: producing.cardId, outcome: 'PRODUCED', cardNo: v.cardNo.trim().toUpperCase(), chipUid: v.chipUid.trim().toUpperCase(), chipDataSm3: v.chipDataSm3.trim().toLowerCase() });
  };

  const submitWaste = async () => {
    if (!wasting) return;
    const v = await wasteForm.validateFields();
    await send({ cardId: wasting.cardId, outcome: 'WASTED', wasteReason: v.wasteReason.trim(), wasteCause: v.wasteCause });
  };

  const downloadTemplate = async () => {
    if (!batchId) return;
    setDownloading(true);
    try {
      await saveResponse(await requestRaw('GET', TEMPLATE_PATH(batchId), { accept: 'text/csv' }), `${batchNo || batchId}-results.csv`);
    } catch (err) {
      showError(err);
    } finally {
      setDownloading(false);
    }
  };

  const columns: TableColumnsType<PendingCard> = [
    { title: t('cards.results.seq'), dataIndex: 'packingSeq', key: 'seq', width: 110 },
    { title: t('cards.results.applicationNo'), dataIndex: 'applicationNo', key: 'no', width: 200, render: (v: string) => <span className="cf-mono cf-nowrap">{v}</span> },
    { title: t('cards.results.cardId'), dataIndex: 'cardId', key: 'card', render: (v: string) => <Typography.Text className="cf-mono" copyable={{ text: v }}>{v.slice(0, 8)}…</Typography.Text> },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 200,
      render: (_, c) => (
        <DecisionButtons
          yes={{ label: t('cards.results.produce'), icon: <CheckOutlined />, testId: `results-produce-${c.cardId}`, onClick: () => { produceForm.resetFields(); setProducing(c); } }}
          no={{ label: t('cards.results.waste'), icon: <DeleteOutlined />, testId: `results-waste-${c.cardId}`, onClick: () => { wasteForm.resetFields(); setWasting(c); } }}
        />
      ),
    },
  ];

  return (
    <div data-testid="page-production-results">
      <PageHeader title={t('cards.menu.results')}>
        <Button
          icon={<ReloadOutlined />}
          onClick={() => {
            reloadBatches();
            reload();
          }}
          data-testid="results-reload"
        >
          {t('common.refresh')}
        </Button>
      </PageHeader>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap>
          <span>{t('cards.results.batch')}</span>
          <Select
            value={batchId}
            onChange={(v: string) => {
              setBatchId(v);
              setCompleted(null);
            }}
            placeholder={t('cards.results.batchPlaceholder')}
            style={{ width: 280 }}
            showSearch={{ optionFilterProp: 'label' }}
            data-testid="results-batch"
            options={options.map((b) => ({ value: b.id, label: b.batchNo }))}
          />
          <Button icon={<DownloadOutlined />} disabled={!batchId} loading={downloading} onClick={() => void downloadTemplate()} data-testid="results-template">
            {t('cards.results.template')}
          </Button>
        </Space>
      </Card>
      {completed && <Alert type="success" showIcon style={{ marginBottom: 16 }} title={t('cards.results.completed', { batchNo: completed })} data-testid="results-completed" />}
      <Card size="small" title={batchId ? t('cards.results.pending', { count: cards?.length ?? 0 }) : t('cards.results.noBatch')}>
        {batchId ? (
          <Table<PendingCard>
            rowKey="cardId"
            size="middle"
            loading={loading}
            columns={columns}
            dataSource={cards ?? []}
            scroll={{ x: 800 }}
            data-testid="results-table"
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cards.results.allReported')} /> }}
            onRow={(c) => ({ 'data-testid': `results-row-${c.cardId}` }) as React.HTMLAttributes<HTMLElement>}
            pagination={{ pageSize: 50, showSizeChanger: true, pageSizeOptions: [20, 50, 100, 200], showTotal: (total) => t('common.total', { total }) }}
          />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cards.results.noBatch')} data-testid="results-empty" />
        )}
      </Card>
      <CsvUploadCard<Outcome>
        title={t('cards.results.upload')}
        hint={t('cards.results.uploadHint')}
        path={batchId ? `/batches/${encodeURIComponent(batchId)}/results` : null}
        errorCode="RESULTS_INVALID"
        testPrefix="results-bulk"
        success={(o) => {
          if (o.batchStatus === 'COMPLETED') setCompleted(o.batchNo);
          return t('cards.results.ok', { applied: o.applied, unchanged: o.unchanged, remaining: o.remaining });
        }}
        onDone={() => {
          reload();
          reloadBatches();
        }}
      />
      <Modal
        title={producing ? t('cards.results.produceTitle', { seq: producing.packingSeq, number: producing.applicationNo }) : ''}
        open={!!producing}
        onCancel={() => setProducing(null)}
        onOk={() => void submitProduce().catch(() => undefined)}
        confirmLoading={busy}
        okText={t('cards.results.produce')}
        okButtonProps={{ 'data-testid': 'results-produce-submit' }}
        width={620}
        forceRender
      >
        <Form<ProduceValues> form={produceForm} layout="vertical" name="results-produce">
          <Form.Item name="cardNo" label={t('cards.results.cardNo')} rules={[{ required: true, pattern: /^[0-9A-Za-z]{6,32}$/, message: t('cards.results.cardNoRule') }]}>
            <Input autoComplete="off" className="cf-mono" maxLength={32} data-testid="results-produce-cardno" />
          </Form.Item>
          <Form.Item
            name="chipUid"
            label={t('cards.results.chipUid')}
            rules={[
              { required: true, pattern: /^[0-9A-Fa-f]{8,32}$/, message: t('cards.results.chipUidRule') },
              { validator: async (_rule, v: unknown) => (typeof v === 'string' && v.trim().length % 2 === 1 ? Promise.reject(new Error(t('cards.results.chipUidRule'))) : undefined) },
            ]}
          >
            <Input autoComplete="off" className="cf-mono" maxLength={32} data-testid="results-produce-chipuid" />
          </Form.Item>
          <Form.Item
            name="chipDataSm3"
            label={t('cards.results.chipSm3')}
            extra={t('cards.results.chipSm3Hint')}
            rules={[{ required: true, pattern: /^[0-9A-Fa-f]{64}$/, message: t('cards.results.chipSm3Rule') }]}
          >
            <Input autoComplete="off" className="cf-mono" maxLength={64} data-testid="results-produce-sm3" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        title={wasting ? t('cards.results.wasteTitle', { seq: wasting.packingSeq, number: wasting.applicationNo }) : ''}
        open={!!wasting}
        onCancel={() => setWasting(null)}
        onOk={() => void submitWaste().catch(() => undefined)}
        confirmLoading={busy}
        okText={t('cards.results.waste')}
        okButtonProps={{ danger: true, 'data-testid': 'results-waste-submit' }}
        forceRender
      >
        <Form<WasteValues> form={wasteForm} layout="vertical" name="results-waste">
          <Form.Item name="wasteCause" label={t('cards.results.wasteCause')} rules={[{ required: true, message: t('cards.results.wasteCause') }]}>
            <Select
              data-testid="results-waste-cause"
              options={(['PRODUCER', 'AUTHORITY_DATA'] as const).map((c) => ({ value: c, label: t(`cards.results.cause.${c}`) }))}
            />
          </Form.Item>
          <Form.Item name="wasteReason" label={t('cards.results.wasteReason')} rules={[{ required: true, whitespace: true, min: 2, max: 200, message: t('cards.results.wasteReasonRule') }]}>
            <Input.TextArea rows={3} maxLength={200} showCount data-testid="results-waste-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
