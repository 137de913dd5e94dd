import { useEffect, useState } from 'react';
import { Button, Card, Col, DatePicker, Descriptions, Form, Input, Modal, Row, Select, Space, Timeline, Typography } from 'antd';
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import type { Dayjs } from 'dayjs';
import { api } from '../../api/client.ts';
import { useFeedback } from '../../components/feedback.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { PageLoading } from '../../components/PageStates.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { ClockCard, TicketStatusTag, useLabel, type TicketDetail } from './shared.tsx';
import { TicketPhotos } from './TicketPhotos.tsx';
import { TicketRepairs } from './TicketRepairs.tsx';
import { useAuth } from '../../auth/AuthContext.tsx';

/** Live while the page is open: the clocks move with the calendar, so the server recomputes them. */
const REFRESH_MS = 30_000;
const PATHS: Record<string, string> = { ACKNOWLEDGE: 'acknowledge', ARRIVE: 'arrive', WAIT: 'wait', RESUME: 'resume', RESOLVE: 'resolve', CLOSE: 'close', REOPEN: 'reopen' };

interface ActionForm {
  at?: Dayjs;
  note?: string;
  waitingReason?: 'PARTS' | 'CUSTOMER';
}

/** One ticket: live response and fix clocks, its history, and the next steps open to me (phone-sized first). */
export default function TicketDetailPage() {
  const t = useT();
  const label = useLabel();
  const { id = '' } = useParams();
  const { showError, showSuccess } = useFeedback();
  const { can } = useAuth();
  const [action, setAction] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<ActionForm>();
  const { data, loading, reload } = useLoad((signal) => api.get<TicketDetail>(`/maintenance/tickets/${encodeURIComponent(id)}`, undefined, { signal }), [id]);

  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  if (!data) return loading ? <PageLoading /> : null;

  const submit = async () => {
    if (!action) return;
    const v = await form.validateFields();
    setBusy(true);
    try {
      await api.post(`/maintenance/tickets/${encodeURIComponent(id)}/${PATHS[action]}`, {
        ...(v.at ? { at: v.at.toISOString() } : {}),
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
        ...(action === 'WAIT' ? { waitingReason: v.waitingReason } : {}),
        idempotencyKey: `${action}-${data.events.length}`,
      });
      showSuccess(t('maint.action.done'));
      setAction(null);
      reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="page-maint-ticket">
      <PageHeader title={<span className="cf-mono">{data.ticketNo}</span>}>
        <Space wrap>
          <Link to="/maintenance/tickets">
            <Button icon={<ArrowLeftOutlined />}>{t('maint.ticket.back')}</Button>
          </Link>
          <Button icon={<ReloadOutlined />} onClick={reload} data-testid="ticket-detail-reload">
            {t('common.refresh')}
          </Button>
        </Space>
      </PageHeader>
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {data.actions.length > 0 && (
          <Space wrap data-testid="ticket-actions">
            {data.actions.map((a) => (
              <Button
                key={a}
                type={a === 'ACKNOWLEDGE' || a === 'RESOLVE' || a === 'CLOSE' ? 'primary' : 'default'}
                onClick={() => {
                  form.resetFields();
                  setAction(a);
                }}
                data-testid={`ticket-action-${a}`}
              >
                {label(`maint.action.${a}`)}
              </Button>
            ))}
          </Space>
        )}
        <Row gutter={[12, 12]}>
          {data.clocks.response && (
            <Col xs={24} md={12}>
              <ClockCard kind="RESPONSE" clock={data.clocks.response} />
            </Col>
          )}
          {data.clocks.fix && (
            <Col xs={24} md={12}>
              <ClockCard kind="FIX" clock={data.clocks.fix} />
            </Col>
          )}
          {data.clocks.error && (
            <Col xs={24}>
              <Typography.Text type="danger" data-testid="ticket-clock-error">
                {data.clocks.error.message}
              </Typography.Text>
            </Col>
          )}
        </Row>
        <Typography.Text type="secondary">
          {data.sla.clock === 'WORKING' ? t('maint.clock.working') : t('maint.clock.roundTheClock')} · {data.sla.openingHours} · {t('maint.clock.warnAt', { percent: data.sla.warnPercent })}
        </Typography.Text>
        <Card size="small">
          <Descriptions column={{ xs: 1, sm: 1, md: 2 }} size="small">
            <Descriptions.Item label={t('maint.ticket.site')}>{data.siteName}</Descriptions.Item>
            <Descriptions.Item label={t('maint.asset.status')}>
              <TicketStatusTag status={data.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('maint.ticket.asset')}>{data.assetSerial ? `${label(`maint.asset.type.${data.assetType ?? ''}`)} · ${data.assetSerial}` : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('maint.ticket.category')}>{data.category}</Descriptions.Item>
            <Descriptions.Item label={t('maint.ticket.openedAt')}>{data.openedAtLocal}</Descriptions.Item>
            <Descriptions.Item label={t('maint.ticket.zone')}>{label(`maint.zone.${data.zone}`)}</Descriptions.Item>
            <Descriptions.Item label={t('maint.ticket.channel')}>{label(`maint.channel.${data.channel}`)}</Descriptions.Item>
            <Descriptions.Item label={t('maint.ticket.description')}>{data.description}</Descriptions.Item>
          </Descriptions>
        </Card>
        <TicketPhotos ticketId={data.id} mayAdd={data.status !== 'CLOSED' && (can('ticket.open') || can('ticket.work'))} />
        <TicketRepairs ticketId={data.id} openedOn={data.openedAtLocal.slice(0, 10)} />
        <Card size="small" title={t('maint.ticket.history')}>
          <Timeline
            data-testid="ticket-history"
            items={data.events.map((e) => ({
              key: e.seq,
              content: (
                <Space orientation="vertical" size={0}>
                  <span>
                    <strong>{label(`maint.action.${e.action}`)}</strong> · {e.atLocal}
                  </span>
                  <Typography.Text type="secondary">
                    {e.actorName}
                    {e.waitingReason ? ` · ${label(`maint.wait.${e.waitingReason}`)}` : ''}
                    {e.note ? ` · ${e.note}` : ''}
                  </Typography.Text>
                </Space>
              ),
            }))}
          />
        </Card>
      </Space>
      <Modal
        open={!!action}
        title={action ? label(`maint.action.${action}`) : ''}
        onCancel={() => setAction(null)}
        onOk={submit}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'ticket-action-submit' } as Record<string, string>}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" name="ticket-action">
          {action === 'WAIT' && (
            <Form.Item name="waitingReason" label={t('maint.wait.reason')} rules={[{ required: true, message: t('maint.wait.reason') }]}>
              <Select options={['PARTS', 'CUSTOMER'].map((r) => ({ value: r, label: label(`maint.wait.${r}`) }))} data-testid="ticket-wait-reason" />
            </Form.Item>
          )}
          <Form.Item name="at" label={t('maint.ticket.at')} extra={t('maint.ticket.atHint')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="ticket-action-at" />
          </Form.Item>
          <Form.Item name="note" label={t('maint.ticket.note')}>
            <Input.TextArea rows={2} maxLength={500} data-testid="ticket-action-note" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
