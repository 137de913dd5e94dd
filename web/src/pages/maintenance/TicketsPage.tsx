import { useEffect, useState } from 'react';
import { Alert, AutoComplete, Button, Card, Col, DatePicker, Empty, Form, Input, Modal, Pagination, Row, Segmented, Select, Space, Spin, Typography, Upload } from 'antd';
import type { RcFile } from 'antd/es/upload';
import { CameraOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import type { Dayjs } from 'dayjs';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useFeedback } from '../../components/feedback.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { ClockStateTag, TicketStatusTag, duration, useLabel, type Asset, type Site, type Ticket, type TicketDetail } from './shared.tsx';
import { uploadTicketPhoto } from './TicketPhotos.tsx';

/** Mirrors PHOTOS_PER_TICKET_MAX on the server. */
const PHOTOS_MAX = 10;

/** How often the list refreshes its clocks while open. */
const REFRESH_MS = 30_000;
const CATEGORIES = ['hardware', 'software', 'network', 'other'] as const;

interface OpenForm {
  siteOrgId: string;
  assetId?: string;
  category: string;
  description: string;
  /** when the fault was reported, for a report entered afterwards (a phone call, a paper form) */
  openedAt?: Dayjs;
}

/** 故障报修: tickets as cards (they stay readable on a phone), with the response clock of each. */
export default function TicketsPage() {
  const t = useT();
  const label = useLabel();
  const navigate = useNavigate();
  const { can } = useAuth();
  const { showError, showSuccess } = useFeedback();
  const [filter, setFilter] = useState<'OPEN' | 'ALL'>('OPEN');
  const [page, setPage] = useState({ current: 1, size: 20 });
  const [opening, setOpening] = useState(false);
  const [busy, setBusy] = useState(false);
  const [photos, setPhotos] = useState<File[]>([]);
  const [form] = Form.useForm<OpenForm>();
  const siteOrgId = Form.useWatch('siteOrgId', form);

  const { data, loading, reload } = useLoad(
    (signal) => api.get<{ items: Ticket[]; total: number }>('/maintenance/tickets', { open: filter === 'OPEN' ? true : undefined, limit: page.size, offset: (page.current - 1) * page.size }, { signal }),
    [filter, page.current, page.size],
  );
  const sites = useLoad((signal) => api.get<{ items: Site[] }>('/maintenance/sites', undefined, { signal }), [], { enabled: opening });
  const assets = useLoad((signal) => api.get<{ items: Asset[] }>('/maintenance/assets', { siteOrgId, limit: 200 }, { signal }), [siteOrgId], { enabled: opening && !!siteOrgId });

  // Running clocks only: a met or paused clock needs no one to hurry.
  const running = (data?.items ?? []).flatMap((x) => [x.clocks.response, x.clocks.fix]).filter((c) => c !== null && !c.stoppedAt && !c.paused);
  const urgent = { breached: running.filter((c) => c?.state === 'BREACHED').length, warning: running.filter((c) => c?.state === 'WARNING').length };

  // An outlet clerk serves one outlet: it is the only choice, so it is chosen.
  const onlySite = sites.data?.items.length === 1 ? sites.data.items[0]!.orgId : undefined;
  useEffect(() => {
    if (onlySite && opening && !form.getFieldValue('siteOrgId')) form.setFieldValue('siteOrgId', onlySite);
  }, [onlySite, opening, form]);

  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const created = await api.post<TicketDetail>('/maintenance/tickets', {
        siteOrgId: v.siteOrgId,
        assetId: v.assetId ?? null,
        category: v.category.trim(),
        description: v.description.trim(),
        ...(v.openedAt ? { openedAt: v.openedAt.toISOString() } : {}),
      });
      showSuccess(t('maint.ticket.opened', { ticketNo: created.ticketNo }));
      // The ticket stands whatever becomes of its photos; a refused one is named and can be added again on the ticket page.
      for (const file of photos) await uploadTicketPhoto(created.id, file).catch(showError);
      setPhotos([]);
      setOpening(false);
      navigate(`/maintenance/tickets/${created.id}`);
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="page-maint-tickets">
      <PageHeader title={t('maint.menu.tickets')}>
        <Space wrap>
          <Segmented
            value={filter}
            onChange={(v) => {
              setFilter(v as 'OPEN' | 'ALL');
              setPage((p) => ({ ...p, current: 1 }));
            }}
            options={[
              { value: 'OPEN', label: t('maint.ticket.filter.open') },
              { value: 'ALL', label: t('common.all') },
            ]}
            data-testid="ticket-filter"
          />
          <Button icon={<ReloadOutlined />} onClick={reload} data-testid="ticket-reload">
            {t('common.refresh')}
          </Button>
          {can('ticket.open') && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                form.resetFields();
                setOpening(true);
              }}
              data-testid="ticket-new"
            >
              {t('maint.ticket.new')}
            </Button>
          )}
        </Space>
      </PageHeader>
      {urgent.breached + urgent.warning > 0 && (
        <Alert
          type={urgent.breached > 0 ? 'error' : 'warning'}
          showIcon
          style={{ marginBottom: 12 }}
          title={t('maint.ticket.urgent', { breached: urgent.breached, warning: urgent.warning })}
          data-testid="ticket-urgent"
        />
      )}
      <Spin spinning={loading}>
        {(data?.items ?? []).length === 0 && !loading ? (
          <Empty description={t('maint.ticket.empty')} />
        ) : (
          <Row gutter={[12, 12]} data-testid="ticket-list">
            {(data?.items ?? []).map((ticket) => {
              const clock = ticket.clocks.response;
              return (
                <Col key={ticket.id} xs={24} md={12} xl={8} xxl={6}>
                  <Card
                    size="small"
                    hoverable
                    onClick={() => navigate(`/maintenance/tickets/${ticket.id}`)}
                    title={<span className="cf-mono">{ticket.ticketNo}</span>}
                    extra={<TicketStatusTag status={ticket.status} />}
                    data-testid={`ticket-card-${ticket.id}`}
                  >
                    <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                      <Typography.Text strong>{ticket.siteName}</Typography.Text>
                      <Typography.Text>{ticket.category}</Typography.Text>
                      <Typography.Text type="secondary">
                        {t('maint.ticket.openedAt')} {ticket.openedAtLocal}
                      </Typography.Text>
                      {clock && (
                        <Space wrap size={4}>
                          <ClockStateTag clock={clock} />
                          {clock.deadlineLocal && <span>{t('maint.clock.deadline', { deadline: clock.deadlineLocal })}</span>}
                          {!clock.stoppedAt && (
                            <Typography.Text type={clock.leftMinutes < 0 ? 'danger' : undefined}>
                              {clock.leftMinutes < 0 ? t('maint.clock.over', { over: duration(t, -clock.leftMinutes) }) : t('maint.clock.left', { left: duration(t, clock.leftMinutes) })}
                            </Typography.Text>
                          )}
                        </Space>
                      )}
                      {ticket.clocks.error && <Typography.Text type="danger">{ticket.clocks.error.message}</Typography.Text>}
                    </Space>
                  </Card>
                </Col>
              );
            })}
          </Row>
        )}
      </Spin>
      <Pagination
        style={{ marginTop: 12, textAlign: 'right' }}
        current={page.current}
        pageSize={page.size}
        total={data?.total ?? 0}
        showTotal={(total) => t('common.total', { total })}
        onChange={(current, size) => setPage({ current: size !== page.size ? 1 : current, size })}
        size="small"
      />
      <Modal
        open={opening}
        title={t('maint.ticket.openTitle')}
        onCancel={() => setOpening(false)}
        onOk={submit}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'ticket-submit' } as Record<string, string>}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" name="ticket-open">
          <Form.Item name="siteOrgId" label={t('maint.ticket.site')} rules={[{ required: true, message: t('maint.ticket.siteRule') }]}>
            <Select
              loading={sites.loading}
              options={(sites.data?.items ?? []).map((s) => ({ value: s.orgId, label: s.name }))}
              showSearch
              optionFilterProp="label"
              onChange={() => form.setFieldValue('assetId', undefined)}
              data-testid="ticket-site"
            />
          </Form.Item>
          <Form.Item name="assetId" label={t('maint.ticket.asset')}>
            <Select
              allowClear
              loading={assets.loading}
              disabled={!siteOrgId}
              options={(assets.data?.items ?? []).map((a) => ({ value: a.id, label: `${label(`maint.asset.type.${a.type}`)} · ${a.serial}` }))}
              showSearch
              optionFilterProp="label"
              data-testid="ticket-asset"
            />
          </Form.Item>
          <Form.Item name="category" label={t('maint.ticket.category')} rules={[{ required: true, whitespace: true, max: 50, message: t('maint.ticket.categoryRule') }]}>
            <AutoComplete options={CATEGORIES.map((c) => ({ value: t(`maint.category.${c}`) }))} data-testid="ticket-category" />
          </Form.Item>
          <Form.Item name="description" label={t('maint.ticket.description')} rules={[{ required: true, whitespace: true, max: 2000, message: t('maint.ticket.descriptionRule') }]}>
            <Input.TextArea rows={4} maxLength={2000} showCount data-testid="ticket-description" />
          </Form.Item>
          <Form.Item name="openedAt" label={t('maint.ticket.at')} extra={t('maint.ticket.atHint')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="ticket-opened-at" />
          </Form.Item>
          <Form.Item label={t('maint.photo.title')} extra={t('maint.photo.hint')}>
            <Upload
              accept="image/jpeg,image/png"
              multiple
              maxCount={PHOTOS_MAX}
              listType="picture"
              fileList={photos.map((f, i) => ({ uid: String(i), name: f.name, status: 'done' as const, originFileObj: f as RcFile }))}
              beforeUpload={(file) => {
                setPhotos((list) => [...list, file].slice(0, PHOTOS_MAX));
                return false;
              }}
              onRemove={(f) => setPhotos((list) => list.filter((_, i) => String(i) !== f.uid))}
            >
              <Button icon={<CameraOutlined />} data-testid="ticket-open-photo">
                {t('maint.photo.add')}
              </Button>
            </Upload>
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
