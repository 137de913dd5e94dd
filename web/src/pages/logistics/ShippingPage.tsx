import { useState } from 'react';
import { Alert, Button, Card, Empty, Form, Input, Modal, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, PrinterOutlined, ReloadOutlined, SendOutlined } from '@ant-design/icons';
import { api, isApiError } from '../../api/client.ts';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { downloadShipmentFile, ShipmentStatusTag, useLabel, type Shipment, type ShipmentDetail } from './shared.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

interface ReadyGroup {
  receiverOrgId: string;
  receiverName: string;
  programmeId: string;
  programmeName: string;
  count: number;
  cardIds: string[];
  cardNos: string[];
}

interface ShipValues {
  carrier?: string;
  trackingNo?: string;
}

type BadCard = { cardId: string | null; cardNo: string | null; reason: string };

/** 发货: the producer packs produced cards per receiver into shipments and sees what it sent. */
export default function ShippingPage() {
  const t = useT();
  const label = useLabel();
  const { showError, showSuccess } = useFeedback();
  const [form] = Form.useForm<ShipValues>();
  const [shipping, setShipping] = useState<ReadyGroup | null>(null);
  const [busy, setBusy] = useState(false);
  const [bad, setBad] = useState<BadCard[]>([]);
  const [page, setPage] = useState({ current: 1, size: 20 });

  const ready = useLoad((signal) => api.get<{ items: ReadyGroup[] }>('/shipments/ready', undefined, { signal }), []);
  const sent = useLoad(
    (signal) => api.get<{ items: Shipment[]; total: number }>('/shipments', { direction: 'outgoing', limit: page.size, offset: (page.current - 1) * page.size }, { signal }),
    [page.current, page.size],
  );

  const open = (g: ReadyGroup) => {
    form.resetFields();
    setBad([]);
    setShipping(g);
  };

  const submit = async () => {
    if (!shipping) return;
    const v = await form.validateFields();
    setBusy(true);
    try {
      const created = await api.post<ShipmentDetail>('/shipments', {
        receiverOrgId: shipping.receiverOrgId,
        cardIds: shipping.cardIds,
        ...(v.carrier?.trim() ? { carrier: v.carrier.trim() } : {}),
        ...(v.trackingNo?.trim() ? { trackingNo: v.trackingNo.trim() } : {}),
      });
      showSuccess(t('logistics.ship.created', { number: created.shipmentNo }));
      setShipping(null);
      ready.reload();
      sent.reload();
    } catch (err) {
      if (isApiError(err, 'SHIPMENT_CARDS_INVALID')) setBad((err.details as { cards?: BadCard[] } | undefined)?.cards ?? []);
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const readyColumns: TableColumnsType<ReadyGroup> = [
    { title: t('logistics.receiver'), dataIndex: 'receiverName', key: 'receiver' },
    { title: t('logistics.programme'), dataIndex: 'programmeName', key: 'programme' },
    { title: t('logistics.cardCount'), dataIndex: 'count', key: 'count', width: 90 },
    {
      title: t('logistics.ship.cards'),
      key: 'cards',
      render: (_, g) => (
        <Typography.Text className="cf-mono" ellipsis={{ tooltip: g.cardNos.join(' ') }} style={{ maxWidth: 360 }}>
          {g.cardNos.join(' ')}
        </Typography.Text>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 130,
      render: (_, g) => (
        <Button type="primary" size="small" icon={<SendOutlined />} onClick={() => open(g)} data-testid={`ship-create-${g.receiverOrgId}-${g.programmeId}`}>
          {t('logistics.ship.create')}
        </Button>
      ),
    },
  ];

  const sentColumns: TableColumnsType<Shipment> = [
    { title: t('logistics.shipmentNo'), dataIndex: 'shipmentNo', key: 'no', width: 190, render: (v: string) => <span className="cf-mono cf-nowrap">{v}</span> },
    { title: t('logistics.receiver'), dataIndex: 'receiverName', key: 'receiver' },
    { title: t('logistics.programme'), dataIndex: 'programmeName', key: 'programme' },
    { title: t('logistics.cardCount'), dataIndex: 'cardCount', key: 'count', width: 80 },
    { title: t('logistics.status'), dataIndex: 'status', key: 'status', width: 100, render: (s: string) => <ShipmentStatusTag status={s} /> },
    { title: t('logistics.shippedAt'), dataIndex: 'shippedAt', key: 'shippedAt', width: 170, render: (v: string) => formatDateTime(v) },
    { title: t('logistics.receivedAt'), dataIndex: 'receivedAt', key: 'receivedAt', width: 170, render: (v: string | null) => formatDateTime(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 220,
      render: (_, s) => (
        <Space size={4}>
          <Button size="small" icon={<DownloadOutlined />} onClick={() => downloadShipmentFile(s, 'manifest').catch(showError)} data-testid={`ship-manifest-${s.id}`}>
            {t('logistics.manifestCsv')}
          </Button>
          <Button size="small" icon={<PrinterOutlined />} onClick={() => downloadShipmentFile(s, 'handover').catch(showError)} data-testid={`ship-handover-${s.id}`}>
            {t('logistics.handoverPdf')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <div data-testid="page-shipping">
      <PageHeader title={t('logistics.menu.shipping')}>
        <Button
          icon={<ReloadOutlined />}
          onClick={() => {
            ready.reload();
            sent.reload();
          }}
          data-testid="ship-reload"
        >
          {t('common.refresh')}
        </Button>
      </PageHeader>
      <Card size="small" title={t('logistics.ship.ready')} style={{ marginBottom: 16 }}>
        <Table<ReadyGroup>
          rowKey={(g) => `${g.receiverOrgId}/${g.programmeId}`}
          size="middle"
          loading={ready.loading}
          columns={readyColumns}
          dataSource={ready.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: <Empty description={t('logistics.ship.readyEmpty')} /> }}
          data-testid="ship-ready-table"
          onRow={(g) => ({ 'data-testid': `ship-ready-row-${g.receiverOrgId}-${g.programmeId}` }) as React.HTMLAttributes<HTMLElement>}
        />
      </Card>
      <Card size="small" title={t('logistics.ship.history')}>
        <Table<Shipment>
          rowKey="id"
          size="middle"
          loading={sent.loading}
          columns={sentColumns}
          dataSource={sent.data?.items ?? []}
          scroll={{ x: 1100 }}
          data-testid="ship-sent-table"
          onRow={(s) => ({ 'data-testid': `ship-sent-row-${s.id}` }) as React.HTMLAttributes<HTMLElement>}
          pagination={{
            current: page.current,
            pageSize: page.size,
            total: sent.data?.total ?? 0,
            showTotal: (total) => t('common.total', { total }),
            onChange: (current, size) => setPage({ current: size !== page.size ? 1 : current, size }),
          }}
        />
      </Card>
      <Modal
        open={!!shipping}
        title={shipping ? t('logistics.ship.createTitle', { receiver: shipping.receiverName, count: shipping.count }) : ''}
        onCancel={() => setShipping(null)}
        onOk={submit}
        confirmLoading={busy}
        okText={t('logistics.ship.create')}
        okButtonProps={{ 'data-testid': 'ship-submit' } as Record<string, string>}
        destroyOnHidden
      >
        <Form<ShipValues> form={form} layout="vertical" name="ship">
          <Form.Item name="carrier" label={t('logistics.carrier')}>
            <Input maxLength={100} data-testid="ship-carrier" />
          </Form.Item>
          <Form.Item name="trackingNo" label={t('logistics.trackingNo')}>
            <Input maxLength={100} data-testid="ship-tracking" />
          </Form.Item>
        </Form>
        {bad.length > 0 && (
          <Alert
            type="error"
            showIcon
            data-testid="ship-bad-cards"
            title={t('logistics.ship.badCards')}
            description={
              <Space orientation="vertical" size={0}>
                {bad.map((b, i) => (
                  <span key={i} className="cf-mono">
                    {b.cardNo ?? b.cardId ?? ''} — {label(`logistics.ship.reason.${b.reason}`)}
                  </span>
                ))}
              </Space>
            }
          />
        )}
      </Modal>
    </div>
  );
}
