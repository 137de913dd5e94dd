import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Checkbox, Col, Descriptions, Input, List, Modal, Row, Segmented, Space, Switch, Table, Tag, Typography, Upload } from 'antd';
import type { InputRef, TableColumnsType } from 'antd';
import { ArrowLeftOutlined, CheckCircleOutlined, InboxOutlined, PrinterOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { api, isApiError, requestRaw } from '../../api/client.ts';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { downloadShipmentFile, ShipmentStatusTag, type Scan, type Shipment, type ShipmentDetail, type Summary } from './shared.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

const RESULT_COLORS: Record<Scan['result'], string> = { MATCHED: 'success', UNEXPECTED: 'error', DUPLICATE: 'warning' };

/** 到卡签收: shipments addressed to my outlet or bank branch; opening one starts the scanning screen. */
export default function ReceiptPage() {
  const t = useT();
  const [status, setStatus] = useState<'SHIPPED' | 'RECEIVED'>('SHIPPED');
  const [openId, setOpenId] = useState<string | null>(null);
  const list = useLoad((signal) => api.get<{ items: Shipment[]; total: number }>('/shipments', { direction: 'incoming', status, limit: 200 }, { signal }), [status]);

  if (openId) {
    return (
      <ReceiveShipment
        id={openId}
        onBack={() => {
          setOpenId(null);
          list.reload();
        }}
      />
    );
  }

  const columns: TableColumnsType<Shipment> = [
    { title: t('logistics.shipmentNo'), dataIndex: 'shipmentNo', key: 'no', width: 190, render: (v: string) => <span className="cf-mono cf-nowrap">{v}</span> },
    { title: t('logistics.producer'), dataIndex: 'producerName', key: 'producer' },
    { title: t('logistics.programme'), dataIndex: 'programmeName', key: 'programme' },
    { title: t('logistics.cardCount'), dataIndex: 'cardCount', key: 'count', width: 80 },
    { title: t('logistics.scanned'), dataIndex: 'scannedCount', key: 'scanned', width: 80 },
    { title: t('logistics.carrier'), key: 'carrier', render: (_, s) => [s.carrier, s.trackingNo].filter(Boolean).join(' ') },
    { title: t('logistics.status'), dataIndex: 'status', key: 'status', width: 100, render: (s: string) => <ShipmentStatusTag status={s} /> },
    { title: t('logistics.shippedAt'), dataIndex: 'shippedAt', key: 'shippedAt', width: 170, render: (v: string) => formatDateTime(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 130,
      render: (_, s) => (
        <Button size="small" type={s.status === 'SHIPPED' ? 'primary' : 'default'} icon={<InboxOutlined />} onClick={() => setOpenId(s.id)} data-testid={`receipt-open-${s.id}`}>
          {s.status === 'SHIPPED' ? t('logistics.receipt.open') : t('logistics.receipt.view')}
        </Button>
      ),
    },
  ];

  return (
    <div data-testid="page-receipt">
      <PageHeader title={t('logistics.receipt.list')}>
        <Space>
          <Segmented
            value={status}
            onChange={(v) => setStatus(v as 'SHIPPED' | 'RECEIVED')}
            options={[
              { value: 'SHIPPED', label: t('logistics.status.SHIPPED') },
              { value: 'RECEIVED', label: t('logistics.status.RECEIVED') },
            ]}
            data-testid="receipt-status-filter"
          />
          <Button icon={<ReloadOutlined />} onClick={list.reload} data-testid="receipt-reload">
            {t('common.refresh')}
          </Button>
        </Space>
      </PageHeader>
      <Table<Shipment>
        rowKey="id"
        size="middle"
        loading={list.loading}
        columns={columns}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 1200 }}
        pagination={false}
        data-testid="receipt-table"
        onRow={(s) => ({ 'data-testid': `receipt-row-${s.id}` }) as React.HTMLAttributes<HTMLElement>}
      />
    </div>
  );
}

function ReceiveShipment({ id, onBack }: { id: string; onBack: () => void }) {
  const t = useT();
  const { showError, showSuccess } = useFeedback();
  const { data, loading, reload, setData } = useLoad((signal) => api.get<ShipmentDetail>(`/shipments/${encodeURIComponent(id)}`, undefined, { signal }), [id]);
  const [input, setInput] = useState('');
  const [damagedNext, setDamagedNext] = useState(false);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const scanRef = useRef<InputRef>(null);
  const open = data?.status === 'SHIPPED';

  // The scanner types into whatever has focus: keep it on the scan field.
  useEffect(() => {
    if (open && !confirming) scanRef.current?.focus();
  }, [open, confirming, data]);

  const withScans = (change: (scans: Scan[]) => Scan[], summary: Summary) => {
    setData((d) => {
      if (!d) return d;
      const scans = change(d.scans);
      const matched = new Map(scans.filter((x) => x.result === 'MATCHED').map((x) => [x.cardNo, x]));
      return { ...d, scans, summary, scannedCount: summary.matched, items: d.items.map((i) => ({ ...i, scanned: matched.has(i.cardNo), damaged: matched.get(i.cardNo)?.damaged ?? false })) };
    });
  };

  // A scanner types the next number while the last one is still on its way: scans queue up and go
  // out one by one, in the order they were read, so none is lost and the classification stays right.
  const queue = useRef<{ cardNo: string; damaged: boolean }[]>([]);
  const draining = useRef(false);
  const drain = async () => {
    if (draining.current) return;
    draining.current = true;
    setBusy(true);
    while (queue.current.length > 0) {
      const next = queue.current.shift()!;
      try {
        const res = await api.post<{ scan: Scan; result: string; summary: Summary }>(`/shipments/${encodeURIComponent(id)}/scans`, next.damaged ? next : { cardNo: next.cardNo });
        withScans((scans) => [...scans, res.scan], res.summary);
      } catch (err) {
        showError(err);
      }
    }
    draining.current = false;
    setBusy(false);
    scanRef.current?.focus();
  };

  const scan = () => {
    const cardNo = input.trim();
    if (!cardNo || !open) return;
    queue.current.push({ cardNo, damaged: damagedNext });
    setInput('');
    setDamagedNext(false);
    void drain();
  };

  // A scanner's batch file goes to the server as it is (text/plain, one card number per line): the
  // server reads and classifies it exactly like single scans, all or nothing.
  const [bulk, setBulk] = useState<{ type: 'success' | 'error'; title: string; description?: string } | null>(null);
  const importFile = async (file: File) => {
    setBusy(true);
    setBulk(null);
    try {
      const res = await requestRaw('POST', `/shipments/${encodeURIComponent(id)}/scans/bulk`, { body: await file.text(), contentType: 'text/plain; charset=utf-8', accept: 'application/json' });
      const out = (await res.json()) as { added: number; matched: number; unexpected: number; duplicates: number; unexpectedCardNos: string[] };
      const shown = out.unexpectedCardNos.slice(0, 20).join('、') + (out.unexpectedCardNos.length > 20 ? '…' : '');
      setBulk({ type: 'success', title: t('logistics.receipt.bulkDone', { added: out.added, matched: out.matched, unexpected: out.unexpected, duplicates: out.duplicates }), description: shown ? t('logistics.receipt.bulkUnexpected', { cardNos: shown }) : undefined });
      reload();
    } catch (err) {
      if (isApiError(err)) {
        const lines = (err.details as { lines?: { line: number }[] } | null)?.lines;
        setBulk({ type: 'error', title: err.message, description: Array.isArray(lines) && lines.length ? t('logistics.receipt.bulkInvalid', { lines: lines.map((l) => l.line).join('、') }) : undefined });
      } else showError(err);
    } finally {
      setBusy(false);
      scanRef.current?.focus();
    }
  };

  const toggleDamaged = async (s: Scan, damaged: boolean) => {
    if (!data) return;
    try {
      const res = await api.patch<{ scan: Scan; summary: Summary }>(`/shipments/${encodeURIComponent(id)}/scans/${encodeURIComponent(s.id)}`, { damaged });
      withScans((scans) => scans.map((x) => (x.id === s.id ? res.scan : x)), res.summary);
    } catch (err) {
      showError(err);
    } finally {
      scanRef.current?.focus();
    }
  };

  const confirm = async () => {
    setBusy(true);
    try {
      const res = await api.post<ShipmentDetail & { outcome: { received: number; damaged: number; missing: number; unexpected: number } }>(`/shipments/${encodeURIComponent(id)}/confirm`);
      showSuccess(t('logistics.receipt.confirmed', res.outcome));
      setConfirming(false);
      reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const s = data?.summary;
  const scans = [...(data?.scans ?? [])].reverse();
  const last = scans[0];
  const scanColumns: TableColumnsType<Scan> = [
    { title: t('logistics.cardNo'), dataIndex: 'cardNo', key: 'cardNo', render: (v: string) => <span className="cf-mono">{v}</span> },
    {
      title: t('logistics.status'),
      dataIndex: 'result',
      key: 'result',
      width: 110,
      render: (r: Scan['result']) => (
        <Tag color={RESULT_COLORS[r]} data-result={r} data-testid="receipt-scan-result">
          {t(`logistics.receipt.result.${r}`)}
        </Tag>
      ),
    },
    {
      title: t('logistics.receipt.damaged'),
      key: 'damaged',
      width: 80,
      render: (_, x) =>
        x.result === 'MATCHED' ? (
          <Switch size="small" checked={x.damaged} disabled={!open} onChange={(v) => toggleDamaged(x, v)} data-testid={`receipt-damaged-${x.cardNo}`} />
        ) : null,
    },
    { title: t('logistics.receipt.scannedAt'), dataIndex: 'scannedAt', key: 'at', width: 170, render: (v: string) => formatDateTime(v) },
  ];

  return (
    <div data-testid="page-receipt-scan">
      <div className="cf-page-header">
        <Typography.Title level={4} className="cf-page-title">
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={onBack} data-testid="receipt-back" />
          {data ? t('logistics.receipt.title', { number: data.shipmentNo, producer: data.producerName }) : ''}
        </Typography.Title>
        <Space>
          {data && (
            <Button onClick={() => downloadShipmentFile(data, 'manifest').catch(showError)} data-testid="receipt-manifest">
              {t('logistics.manifestCsv')}
            </Button>
          )}
          {data && (
            <Button icon={<PrinterOutlined />} onClick={() => downloadShipmentFile(data, 'handover').catch(showError)} data-testid="receipt-handover">
              {t('logistics.handoverPdf')}
            </Button>
          )}
          {open && (
            <Button type="primary" icon={<CheckCircleOutlined />} disabled={busy} onClick={() => setConfirming(true)} data-testid="receipt-confirm">
              {t('logistics.receipt.confirm')}
            </Button>
          )}
        </Space>
      </div>
      {data && (
        <Descriptions size="small" column={4} style={{ marginBottom: 12 }}>
          <Descriptions.Item label={t('logistics.programme')}>{data.programmeName}</Descriptions.Item>
          <Descriptions.Item label={t('logistics.status')}>
            <ShipmentStatusTag status={data.status} />
          </Descriptions.Item>
          <Descriptions.Item label={t('logistics.carrier')}>{[data.carrier, data.trackingNo].filter(Boolean).join(' ')}</Descriptions.Item>
          <Descriptions.Item label={t('logistics.shippedAt')}>{formatDateTime(data.shippedAt)}</Descriptions.Item>
        </Descriptions>
      )}
      {data && !open && <Alert type="success" showIcon style={{ marginBottom: 12 }} title={t('logistics.receipt.done', { at: formatDateTime(data.receivedAt), by: data.receivedByName ?? '' })} data-testid="receipt-done" />}
      {s && (
        <Alert type={s.missing === 0 && s.unexpected === 0 ? 'success' : 'info'} style={{ marginBottom: 12 }} title={t('logistics.receipt.summary', { ...s })} data-testid="receipt-summary" />
      )}
      {open && (
        <Card size="small" style={{ marginBottom: 12 }}>
          <Space wrap>
            <span>{t('logistics.receipt.scanLabel')}</span>
            <Input
              ref={scanRef}
              value={input}
              onChange={(e) => setInput(e.target.value)}
              onPressEnter={scan}
              placeholder={t('logistics.receipt.scanPlaceholder')}
              autoComplete="off"
              className="cf-mono"
              style={{ width: 280 }}
              data-testid="receipt-scan-input"
            />
            {last && (
              <Tag color={RESULT_COLORS[last.result]} data-result={last.result} data-testid="receipt-last-result">
                <span className="cf-mono">{last.cardNo}</span> {t(`logistics.receipt.result.${last.result}`)}
              </Tag>
            )}
            <Checkbox checked={damagedNext} onChange={(e) => setDamagedNext(e.target.checked)} data-testid="receipt-damaged-next">
              {t('logistics.receipt.damagedNext')}
            </Checkbox>
            <Upload
              accept=".txt,.csv,text/plain"
              showUploadList={false}
              maxCount={1}
              disabled={busy}
              beforeUpload={(f) => {
                void importFile(f);
                return Upload.LIST_IGNORE;
              }}
            >
              <Button icon={<UploadOutlined />} disabled={busy} title={t('logistics.receipt.bulkHint')} data-testid="receipt-bulk-file">
                {t('logistics.receipt.bulkFile')}
              </Button>
            </Upload>
          </Space>
          {bulk && <Alert type={bulk.type} showIcon closable={{ onClose: () => setBulk(null) }} style={{ marginTop: 12 }} title={bulk.title} description={bulk.description} data-testid="receipt-bulk-result" />}
        </Card>
      )}
      <Row gutter={12}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('logistics.receipt.scans')}>
            <Table<Scan>
              rowKey="id"
              size="small"
              loading={loading}
              columns={scanColumns}
              dataSource={scans}
              pagination={{ pageSize: 50, hideOnSinglePage: true }}
              data-testid="receipt-scans"
              onRow={(x) => ({ 'data-testid': `receipt-scan-${x.id}`, 'data-result': x.result }) as React.HTMLAttributes<HTMLElement>}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('logistics.receipt.manifest')}>
            <List
              size="small"
              dataSource={data?.items ?? []}
              data-testid="receipt-manifest-list"
              pagination={(data?.items.length ?? 0) > 50 ? { pageSize: 50, size: 'small' } : false}
              renderItem={(i) => (
                <List.Item data-testid={`receipt-item-${i.cardNo}`} data-scanned={i.scanned ? 'yes' : 'no'}>
                  <span className="cf-mono">{i.cardNo}</span>
                  {i.damaged ? (
                    <Tag color="error">{t('logistics.receipt.damaged')}</Tag>
                  ) : i.scanned ? (
                    <Tag color="success">{t('logistics.receipt.matched')}</Tag>
                  ) : (
                    <Tag>{t('logistics.receipt.missing')}</Tag>
                  )}
                </List.Item>
              )}
            />
          </Card>
        </Col>
      </Row>
      <Modal
        open={confirming}
        title={data ? t('logistics.receipt.confirmTitle', { number: data.shipmentNo }) : ''}
        onCancel={() => setConfirming(false)}
        onOk={confirm}
        confirmLoading={busy}
        okText={t('logistics.receipt.confirm')}
        okButtonProps={{ 'data-testid': 'receipt-confirm-ok' } as Record<string, string>}
      >
        {s && (
          <Space orientation="vertical" data-testid="receipt-confirm-summary">
            <span>{t('logistics.receipt.confirmReceived', { count: s.matched - s.damaged })}</span>
            <span>{t('logistics.receipt.confirmDamaged', { count: s.damaged })}</span>
            <span>{t('logistics.receipt.confirmMissing', { count: s.missing })}</span>
            <span>{t('logistics.receipt.confirmUnexpected', { count: s.unexpected })}</span>
            <Typography.Text type="secondary">{t('logistics.receipt.confirmHint')}</Typography.Text>
          </Space>
        )}
      </Modal>
    </div>
  );
}
