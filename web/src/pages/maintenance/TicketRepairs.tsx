import { useState } from 'react';
import { Button, Card, DatePicker, Empty, Form, Input, InputNumber, Modal, Popconfirm, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api/client.ts';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { useLabel } from './shared.tsx';

interface Repair {
  id: string;
  part: string;
  quantity: number;
  serials: string[];
  cost: string;
  repairedOn: string;
  reference: string | null;
  status: 'RECORDED' | 'CONFIRMED' | 'DISPUTED';
  borneBy: 'MAINTAINER' | 'AUTHORITY';
  maintainerShare: string;
  authorityShare: string;
  recordedByName: string | null;
  decidedByName: string | null;
  decidedAtLocal: string | null;
  disputeReason: string | null;
  createdAtLocal: string;
}

interface Repairs {
  contractId: string;
  maintainerBearsUpTo: string;
  mayRecord: boolean;
  mayDecide: boolean;
  items: Repair[];
}

interface RepairForm {
  part: string;
  quantity: number;
  serials?: string;
  cost: string;
  repairedOn: Dayjs;
  reference?: string;
}

const STATUS_COLOR: Record<Repair['status'], string> = { RECORDED: 'gold', CONFIRMED: 'green', DISPUTED: 'red' };
// The server checks the same; the form only spares a round trip for an obvious typo.
const AMOUNT = /^\d+(\.\d{1,2})?$/;

/** The repair costs of a ticket: the maintainer records them, the authority confirms or disputes each (seed 002 §3.2(4)). */
export function TicketRepairs({ ticketId, openedOn }: { ticketId: string; openedOn: string }) {
  const t = useT();
  const label = useLabel();
  const { showError, showSuccess } = useFeedback();
  const [adding, setAdding] = useState(false);
  const [disputing, setDisputing] = useState<Repair | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<RepairForm>();
  const [disputeForm] = Form.useForm<{ reason: string }>();
  const { data, reload } = useLoad((signal) => api.get<Repairs>(`/maintenance/tickets/${encodeURIComponent(ticketId)}/repairs`, undefined, { signal }), [ticketId]);

  const run = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await work();
      showSuccess(done);
      reload();
      return true;
    } catch (err) {
      showError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async () => {
    if (!data) return;
    const v = await form.validateFields();
    const ok = await run(
      () =>
        api.post('/maintenance/repairs', {
          contractId: data.contractId,
          ticketId,
          part: v.part.trim(),
          quantity: v.quantity,
          serials: (v.serials ?? '').split('\n').map((s) => s.trim()).filter((s) => s.length > 0),
          cost: v.cost.trim(),
          repairedOn: v.repairedOn.format('YYYY-MM-DD'),
          ...(v.reference?.trim() ? { reference: v.reference.trim() } : {}),
        }),
      t('maint.repair.recorded'),
    );
    if (ok) {
      setAdding(false);
      form.resetFields();
    }
  };

  const dispute = async () => {
    if (!disputing) return;
    const v = await disputeForm.validateFields();
    const ok = await run(() => api.post(`/maintenance/repairs/${disputing.id}/dispute`, { reason: v.reason.trim() }), t('maint.repair.disputed'));
    if (ok) {
      setDisputing(null);
      disputeForm.resetFields();
    }
  };

  return (
    <Card
      size="small"
      title={t('maint.repair.title')}
      data-testid="ticket-repairs"
      extra={
        data?.mayRecord && (
          <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="ticket-repair-add">
            {t('maint.repair.add')}
          </Button>
        )
      }
    >
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        {data && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('maint.repair.rule', { limit: data.maintainerBearsUpTo })}
          </Typography.Text>
        )}
        {(data?.items.length ?? 0) === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('maint.repair.none')} />}
        {data?.items.map((r) => (
          <Card key={r.id} size="small" type="inner" data-testid={`ticket-repair-${r.id}`} data-status={r.status}>
            <Space orientation="vertical" size={2} style={{ width: '100%' }}>
              <Space wrap>
                <Typography.Text strong>{`${r.part} × ${r.quantity}`}</Typography.Text>
                <Typography.Text className="cf-mono">{`¥${r.cost}`}</Typography.Text>
                <Tag color={STATUS_COLOR[r.status]}>{label(`maint.repair.status.${r.status}`)}</Tag>
                <Tag color={r.borneBy === 'AUTHORITY' ? 'blue' : 'default'} data-testid="ticket-repair-share">
                  {t(`maint.repair.borne.${r.borneBy}`, { amount: r.borneBy === 'AUTHORITY' ? r.authorityShare : r.maintainerShare })}
                </Tag>
              </Space>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {[r.repairedOn, r.reference, r.serials.join(', ') || null, t('maint.repair.by', { name: r.recordedByName ?? '', at: r.createdAtLocal })].filter(Boolean).join(' · ')}
              </Typography.Text>
              {r.decidedAtLocal && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {`${t('maint.repair.decidedBy', { name: r.decidedByName ?? '', at: r.decidedAtLocal })}${r.disputeReason ? ` · ${r.disputeReason}` : ''}`}
                </Typography.Text>
              )}
              {data.mayDecide && r.status === 'RECORDED' && (
                <Space>
                  <Popconfirm title={t('maint.repair.confirmAsk')} onConfirm={() => void run(() => api.post(`/maintenance/repairs/${r.id}/confirm`), t('maint.repair.confirmed'))}>
                    <Button size="small" type="primary" loading={busy} data-testid="ticket-repair-confirm">
                      {t('maint.repair.confirm')}
                    </Button>
                  </Popconfirm>
                  <Button size="small" danger onClick={() => setDisputing(r)} data-testid="ticket-repair-dispute">
                    {t('maint.repair.dispute')}
                  </Button>
                </Space>
              )}
            </Space>
          </Card>
        ))}
      </Space>
      <Modal
        open={adding}
        title={t('maint.repair.add')}
        onOk={() => void add()}
        onCancel={() => setAdding(false)}
        confirmLoading={busy}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'ticket-repair-save' }}
      >
        <Form form={form} layout="vertical" initialValues={{ quantity: 1, repairedOn: dayjs() }} data-testid="ticket-repair-form">
          <Form.Item name="part" label={t('maint.repair.part')} rules={[{ required: true, whitespace: true, max: 200 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="quantity" label={t('maint.repair.quantity')} rules={[{ required: true }]}>
            <InputNumber min={1} max={10000} precision={0} />
          </Form.Item>
          <Form.Item name="cost" label={t('maint.repair.cost')} extra={t('maint.repair.costHint')} rules={[{ required: true, pattern: AMOUNT, message: t('maint.repair.costHint') }]}>
            <Input inputMode="decimal" />
          </Form.Item>
          <Form.Item name="repairedOn" label={t('maint.repair.repairedOn')} rules={[{ required: true }]}>
            <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day') || d.format('YYYY-MM-DD') < openedOn} />
          </Form.Item>
          <Form.Item name="serials" label={t('maint.repair.serials')}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item name="reference" label={t('maint.repair.reference')} rules={[{ max: 100 }]}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
      <Modal open={disputing !== null} title={t('maint.repair.dispute')} onOk={() => void dispute()} onCancel={() => setDisputing(null)} confirmLoading={busy} destroyOnHidden>
        <Form form={disputeForm} layout="vertical">
          <Form.Item name="reason" label={t('maint.repair.disputeReason')} rules={[{ required: true, whitespace: true, max: 500 }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
