import { useState } from 'react';
import { Alert, Button, Card, Col, DatePicker, Descriptions, Form, Input, Modal, Row, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CheckOutlined, DiffOutlined, FileExcelOutlined, FilePdfOutlined, RollbackOutlined, SendOutlined, SyncOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useFeedback } from '../../components/feedback.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { PageLoading } from '../../components/PageStates.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { EvidenceDrawer } from './EvidenceDrawer.tsx';
import { download, fenText, SETTLE_PERM, StatusTag, useLabel, yuan } from './shared.tsx';
import type { CapCheck, StatementLine, StatementPenalty, StatementView } from './types.ts';

type Reasoned = 'return' | 'adjust';

const dateProps = {
  getValueProps: (v: string | undefined) => ({ value: v ? dayjs(v) : undefined }),
  normalize: (d: dayjs.Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined),
};

/** Invoices received and payments made on an approved statement, with what is due, paid, outstanding, overdue and the interest. */
function PaymentsCard({ s, onChanged }: { s: StatementView; onChanged: (v: StatementView) => void }) {
  const t = useT();
  const { can } = useAuth();
  const { showError, showSuccess } = useFeedback();
  const [invoiceForm] = Form.useForm<{ number: string; issuedOn: string; amount: string }>();
  const [paymentForm] = Form.useForm<{ paidOn: string; amount: string; reference?: string }>();
  const mayRecord = s.status === 'APPROVED' && can(SETTLE_PERM.payments);
  const record = async (what: 'invoices' | 'payments', body: object, reset: () => void) => {
    try {
      const next = await api.post<StatementView>(`/settlement/statements/${encodeURIComponent(s.id)}/${what}`, body);
      reset();
      showSuccess(t('common.saved'));
      onChanged(next);
    } catch (err) {
      showError(err);
    }
  };
  return (
    <Card size="small" title={t('settle.pay.title')} data-testid="settle-payments">
      <Row gutter={16}>
        <Col xs={12} md={4}>
          <Statistic title={t('settle.statement.netPayable')} value={yuan(s.netPayable)} />
        </Col>
        <Col xs={12} md={4}>
          <Statistic title={t('settle.pay.paid')} value={yuan(s.paid)} />
        </Col>
        <Col xs={12} md={4}>
          <Statistic title={t('settle.pay.outstanding')} value={yuan(s.outstanding)} />
        </Col>
        <Col xs={12} md={4}>
          <Statistic title={t('settle.pay.dueOn')} value={s.dueOn ?? '—'} />
        </Col>
        <Col xs={12} md={4}>
          <Statistic title={t('settle.pay.interest')} value={s.interestOwed === null ? t('settle.pay.noInterest') : yuan(s.interestOwed)} />
        </Col>
        <Col xs={12} md={4}>{s.overdue ? <Tag color="red" data-testid="settle-overdue">{t('settle.pay.overdue')}</Tag> : null}</Col>
      </Row>
      <Row gutter={16} style={{ marginTop: 12 }}>
        <Col xs={24} md={12}>
          <Typography.Text strong>{t('settle.pay.invoices')}</Typography.Text>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={s.invoices}
            columns={[
              { title: t('settle.pay.invoiceNo'), dataIndex: 'number', key: 'number' },
              { title: t('settle.pay.issuedOn'), dataIndex: 'issuedOn', key: 'issuedOn' },
              { title: t('settle.pay.amount'), dataIndex: 'amount', key: 'amount', align: 'right', render: (v: string) => yuan(v) },
            ]}
          />
          {mayRecord && (
            <Form form={invoiceForm} layout="inline" style={{ marginTop: 8 }} onFinish={(v) => void record('invoices', v, () => invoiceForm.resetFields())}>
              <Form.Item name="number" rules={[{ required: true, message: t('settle.form.required') }]}>
                <Input placeholder={t('settle.pay.invoiceNo')} style={{ width: 140 }} />
              </Form.Item>
              <Form.Item name="issuedOn" rules={[{ required: true, message: t('settle.form.required') }]} {...dateProps}>
                <DatePicker placeholder={t('settle.pay.issuedOn')} />
              </Form.Item>
              <Form.Item name="amount" rules={[{ required: true, message: t('settle.form.required') }]}>
                <Input placeholder="0.00" style={{ width: 120 }} />
              </Form.Item>
              <Button htmlType="submit">{t('settle.pay.addInvoice')}</Button>
            </Form>
          )}
        </Col>
        <Col xs={24} md={12}>
          <Typography.Text strong>{t('settle.pay.payments')}</Typography.Text>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={s.payments}
            columns={[
              { title: t('settle.pay.paidOn'), dataIndex: 'paidOn', key: 'paidOn' },
              { title: t('settle.pay.reference'), dataIndex: 'reference', key: 'reference', render: (v: string | null) => v ?? '—' },
              { title: t('settle.pay.amount'), dataIndex: 'amount', key: 'amount', align: 'right', render: (v: string) => yuan(v) },
            ]}
          />
          {mayRecord && (
            <Form form={paymentForm} layout="inline" style={{ marginTop: 8 }} onFinish={(v) => void record('payments', { ...v, reference: v.reference || undefined }, () => paymentForm.resetFields())}>
              <Form.Item name="paidOn" rules={[{ required: true, message: t('settle.form.required') }]} {...dateProps}>
                <DatePicker placeholder={t('settle.pay.paidOn')} />
              </Form.Item>
              <Form.Item name="amount" rules={[{ required: true, message: t('settle.form.required') }]}>
                <Input placeholder="0.00" style={{ width: 120 }} />
              </Form.Item>
              <Form.Item name="reference">
                <Input placeholder={t('settle.pay.reference')} style={{ width: 120 }} />
              </Form.Item>
              <Button htmlType="submit">{t('settle.pay.addPayment')}</Button>
            </Form>
          )}
        </Col>
      </Row>
    </Card>
  );
}

/** One statement: every line and penalty with the numbers behind it and a click-through to its evidence, caps, net payable, approval and payment. */
export default function StatementPage() {
  const t = useT();
  const label = useLabel();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { showError, showSuccess } = useFeedback();
  const { id = '' } = useParams();
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState<Reasoned | null>(null);
  const [reason, setReason] = useState('');
  const [evidence, setEvidence] = useState<{ key: string; title: string } | null>(null);
  const loaded = useLoad((signal) => api.get<StatementView>(`/settlement/statements/${encodeURIComponent(id)}`, undefined, { signal }), [id]);
  const s = loaded.data;
  if (!s) return <PageLoading />;

  const act = async (action: 'redraft' | 'submit' | 'approve' | Reasoned, done: string) => {
    setBusy(true);
    try {
      const body = action === 'return' || action === 'adjust' ? { reason } : {};
      const next = await api.post<StatementView>(`/settlement/statements/${encodeURIComponent(s.id)}/${action}`, body);
      showSuccess(done);
      setAsking(null);
      setReason('');
      if (next.id !== s.id) navigate(`/settlement/statements/${next.id}`);
      else loaded.setData(next);
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };
  const file = (ext: 'pdf' | 'xlsx') => download(`/settlement/statements/${encodeURIComponent(s.id)}/export.${ext}`, `settlement-${s.periodStart}.${ext}`).catch(showError);
  const evidenceButton = (key: string, title: string, count: number) =>
    count > 0 ? (
      <Button type="link" size="small" onClick={() => setEvidence({ key, title })} data-testid={`evidence-${key}`}>
        {t('settle.evidence.open', { count })}
      </Button>
    ) : (
      '—'
    );

  const lineColumns: TableColumnsType<StatementLine> = [
    { title: t('settle.statement.item'), dataIndex: 'label', key: 'label' },
    {
      title: t('settle.statement.formula'),
      key: 'formula',
      render: (_: unknown, l) => (
        <span data-testid={`line-formula-${l.key}`}>
          {l.count} × {l.unitPrice} = <strong>{yuan(l.amount)}</strong>
        </span>
      ),
    },
    { title: t('settle.statement.amount'), dataIndex: 'amount', key: 'amount', align: 'right', width: 150, render: (v: string) => yuan(v) },
    { title: t('settle.statement.evidence'), key: 'evidence', width: 140, render: (_: unknown, l) => evidenceButton(l.key, l.label, l.evidenceCount) },
  ];
  const penaltyColumns: TableColumnsType<StatementPenalty> = [
    { title: t('settle.statement.rule'), key: 'label', width: 200, render: (_: unknown, p) => label(`settle.rule.name.${p.kind}`) },
    { title: t('settle.statement.explanation'), dataIndex: 'explanation', key: 'explanation', render: (v: string) => <span style={{ whiteSpace: 'pre-wrap' }}>{v}</span> },
    { title: t('settle.statement.amount'), dataIndex: 'amount', key: 'amount', align: 'right', width: 150, render: (v: string) => yuan(v) },
    { title: t('settle.statement.evidence'), key: 'evidence', width: 140, render: (_: unknown, p) => evidenceButton(p.key, label(`settle.rule.name.${p.kind}`), p.evidenceCount) },
  ];
  const capColumns: TableColumnsType<CapCheck> = [
    { title: t('settle.cap.scope'), dataIndex: 'scope', key: 'scope', render: (v: string) => (v === 'CONTRACT' ? t('settle.cap.contract') : t('settle.cap.lot', { lot: v })) },
    { title: t('settle.cap.limit'), dataIndex: 'limit', key: 'limit', align: 'right', render: (v: number) => yuan(fenText(v)) },
    { title: t('settle.cap.before'), dataIndex: 'billedBefore', key: 'before', align: 'right', render: (v: number) => yuan(fenText(v)) },
    { title: t('settle.cap.requested'), dataIndex: 'requested', key: 'requested', align: 'right', render: (v: number) => yuan(fenText(v)) },
    { title: t('settle.cap.allowed'), dataIndex: 'allowed', key: 'allowed', align: 'right', render: (v: number) => <strong>{yuan(fenText(v))}</strong> },
  ];
  const excluded = Object.entries(
    s.statement.excluded.reduce<Record<string, number>>((acc, e) => {
      acc[e.reason] = (acc[e.reason] ?? 0) + 1;
      return acc;
    }, {}),
  );

  return (
    <div data-testid="page-settle-statement" data-status={s.status}>
      <PageHeader title={`${s.contractCode} ${s.periodStart} ~ ${s.periodEnd}`} hint={s.contractName}>
        <StatusTag status={s.status} />
        {s.kind === 'ADJUSTMENT' && <Tag color="purple">{label('settle.kind.ADJUSTMENT')}</Tag>}
      </PageHeader>
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Space wrap>
          {s.status === 'DRAFT' && can(SETTLE_PERM.manage) && (
            <>
              <Button icon={<SyncOutlined />} loading={busy} onClick={() => void act('redraft', t('settle.action.redrafted'))} data-testid="statement-redraft">
                {t('settle.action.redraft')}
              </Button>
              <Button type="primary" icon={<SendOutlined />} loading={busy} onClick={() => void act('submit', t('settle.action.submitted'))} data-testid="statement-submit">
                {t('settle.action.submit')}
              </Button>
            </>
          )}
          {s.status === 'SUBMITTED' && can(SETTLE_PERM.approve) && (
            <>
              <Tooltip title={t('settle.action.selfApproval')}>
                <Button type="primary" icon={<CheckOutlined />} loading={busy} onClick={() => void act('approve', t('settle.action.approved'))} data-testid="statement-approve">
                  {t('settle.action.approve')}
                </Button>
              </Tooltip>
              <Button danger icon={<RollbackOutlined />} onClick={() => setAsking('return')} data-testid="statement-return">
                {t('settle.action.return')}
              </Button>
            </>
          )}
          {s.status === 'APPROVED' && can(SETTLE_PERM.manage) && (
            <Button icon={<DiffOutlined />} onClick={() => setAsking('adjust')} data-testid="statement-adjust">
              {t('settle.action.adjust')}
            </Button>
          )}
          <Button icon={<FilePdfOutlined />} onClick={() => void file('pdf')} data-testid="statement-pdf">
            PDF
          </Button>
          <Button icon={<FileExcelOutlined />} onClick={() => void file('xlsx')} data-testid="statement-xlsx">
            XLSX
          </Button>
        </Space>
        {s.status === 'DRAFT' && s.returnedReason && <Alert type="warning" showIcon title={t('settle.statement.returned', { reason: s.returnedReason })} />}
        {s.status === 'SUPERSEDED' && <Alert type="info" showIcon title={t('settle.statement.superseded')} />}
        {s.adjustsId && (
          <Alert
            type="info"
            showIcon
            title={
              <Link to={`/settlement/statements/${s.adjustsId}`}>{t('settle.statement.adjusts', { reason: s.adjustReason ?? '' })}</Link>
            }
          />
        )}
        <Descriptions size="small" bordered column={{ xs: 1, md: 3 }} data-testid="statement-facts">
          <Descriptions.Item label={t('settle.contract.supplier')}>{s.supplierName}</Descriptions.Item>
          <Descriptions.Item label={t('settle.statement.draftedAt')}>{formatDateTime(s.draftedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('settle.statement.contract')}>
            <Link to={`/settlement/contracts/${s.contractId}`}>{s.contractName}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('settle.statement.preparedBy')}>{s.preparedBy ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('settle.statement.submittedAt')}>{s.submittedAt ? formatDateTime(s.submittedAt) : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('settle.statement.approvedBy')}>
            {s.approvedBy ?? '—'}
            {s.approvedAt && ` · ${formatDateTime(s.approvedAt)}`}
          </Descriptions.Item>
        </Descriptions>

        <Card size="small" title={t('settle.statement.lines')}>
          <Table<StatementLine> rowKey="key" size="small" pagination={false} columns={lineColumns} dataSource={s.lines} data-testid="statement-lines" />
          <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }}>
            {t('settle.statement.gross')}: <strong>{yuan(fenText(s.statement.gross))}</strong>
            {excluded.length > 0 && ` · ${t('settle.statement.excluded')}: ${excluded.map(([r, n]) => `${label(`settle.excluded.${r}`)} ${n}`).join('，')} `}
            {s.excludedCount > 0 && evidenceButton('excluded', t('settle.statement.excluded'), s.excludedCount)}
          </Typography.Paragraph>
        </Card>
        {s.statement.caps.length > 0 && (
          <Card size="small" title={t('settle.statement.caps')}>
            <Table<CapCheck> rowKey="scope" size="small" pagination={false} columns={capColumns} dataSource={s.statement.caps} data-testid="statement-caps" />
          </Card>
        )}
        <Card size="small" title={t('settle.statement.penalties')}>
          <Table<StatementPenalty> rowKey="key" size="small" pagination={false} columns={penaltyColumns} dataSource={s.penalties} data-testid="statement-penalties" />
        </Card>
        <Card size="small" title={t('settle.statement.totals')}>
          <Row gutter={16} data-testid="statement-totals">
            <Col xs={12} md={5}>
              <Statistic title={t('settle.statement.billable')} value={yuan(s.billable)} />
            </Col>
            <Col xs={12} md={5}>
              <Statistic title={t('settle.statement.capApplied')} value={yuan(s.capApplied)} />
            </Col>
            <Col xs={12} md={5}>
              <Statistic title={t('settle.statement.deductions')} value={yuan(s.deductions)} />
            </Col>
            <Col xs={12} md={4}>
              <Statistic title={t('settle.statement.additions')} value={yuan(s.additions)} />
            </Col>
            <Col xs={24} md={5}>
              <Statistic title={t('settle.statement.netPayable')} value={yuan(s.netPayable)} data-testid="statement-net" />
            </Col>
          </Row>
        </Card>
        {s.status === 'APPROVED' || s.invoices.length > 0 || s.payments.length > 0 ? <PaymentsCard s={s} onChanged={(v) => loaded.setData(v)} /> : null}
      </Space>
      <EvidenceDrawer statementId={s.id} line={evidence?.key ?? null} title={evidence?.title ?? ''} onClose={() => setEvidence(null)} />
      <Modal
        open={asking !== null}
        title={asking === 'adjust' ? t('settle.action.adjust') : t('settle.action.return')}
        onCancel={() => setAsking(null)}
        onOk={() => asking && void act(asking, asking === 'adjust' ? t('settle.action.adjusted') : t('settle.action.returned'))}
        okButtonProps={{ disabled: reason.trim() === '', loading: busy }}
      >
        <Input.TextArea rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('settle.action.reasonHint')} data-testid="statement-reason" />
      </Modal>
    </div>
  );
}
