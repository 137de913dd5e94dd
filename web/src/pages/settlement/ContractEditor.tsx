import { useMemo, useState } from 'react';
import { Alert, Button, Card, Col, DatePicker, Form, Input, InputNumber, Row, Select, Space, Switch, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { DeleteOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api, isApiError } from '../../api/client.ts';
import { fetchOrgsQuiet, fetchProgrammes } from '../../api/resources.ts';
import { useFeedback } from '../../components/feedback.ts';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { useLabel } from './shared.tsx';
import {
  BILLING_CYCLES,
  PRICE_KINDS,
  PRICE_UNITS,
  RULE_KINDS,
  SERVICE_KINDS,
  VALUE_KINDS,
  type ContractInput,
  type ContractView,
  type PenaltyRule,
  type PriceEntry,
  type RuleKind,
  type ServiceKind,
} from './types.ts';

/** The fields each kind of penalty rule is made of: rates as text ("1‰", "5%"), whole numbers, or yuan. */
const RULE_FIELDS: Record<RuleKind, { name: string; type: 'rate' | 'int' | 'money' }[]> = {
  LATE_DELIVERY_PER_DAY: [
    { name: 'perDay', type: 'rate' },
    { name: 'cap', type: 'rate' },
  ],
  PER_BREACH: [
    { name: 'perBreach', type: 'rate' },
    { name: 'terminationAfter', type: 'int' },
    { name: 'onTermination', type: 'rate' },
  ],
  DELIVERY_RATE_BELOW: [
    { name: 'threshold', type: 'rate' },
    { name: 'deduction', type: 'rate' },
  ],
  LATE_STATEMENT_PER_DAY: [
    { name: 'perDay', type: 'rate' },
    { name: 'dueDay', type: 'int' },
  ],
  FAULT_OVERTIME: [
    { name: 'min', type: 'rate' },
    { name: 'max', type: 'rate' },
  ],
  REPAIR_COST_SPLIT: [{ name: 'supplierBearsUpTo', type: 'money' }],
};

interface FormPrice {
  item: string;
  lot?: string;
  label: string;
  unit?: string;
  priceKind: (typeof PRICE_KINDS)[number];
  unitPrice?: string;
  ceiling?: string;
  baseItem?: string;
  less?: string;
  share?: string;
  dueOn?: string;
}

interface FormValues {
  code: string;
  name: string;
  authorityOrgId: string;
  supplierOrgId: string;
  serviceKind: ServiceKind;
  termStart: string;
  termEnd: string;
  renewable: boolean;
  renewalMonths?: number;
  renewalMax?: number;
  renewalTaken?: number;
  billingCycle: ContractInput['billingCycle'];
  valueKind: (typeof VALUE_KINDS)[number];
  valueAmount?: string;
  lots: { lot: string; cap: string }[];
  prices: FormPrice[];
  penaltyRules: (PenaltyRule & { tiers?: { fromMinutes: number; rate: string }[] })[];
  programmeIds?: string[];
  smsProviders?: string[];
  maintenanceContractId?: string;
  paymentTermDays?: number | null;
  interestPerDay?: string;
}

function toForm(c: ContractView | null): Partial<FormValues> {
  if (!c) return { serviceKind: 'CARD_PRODUCTION', billingCycle: 'QUARTERLY', valueKind: 'CAP', renewable: false, lots: [], prices: [], penaltyRules: [] };
  return {
    code: c.code,
    name: c.name,
    authorityOrgId: c.authorityOrgId,
    supplierOrgId: c.supplierOrgId,
    serviceKind: c.serviceKind,
    termStart: c.term.start,
    termEnd: c.term.end,
    renewable: c.term.renewal !== null,
    renewalMonths: c.term.renewal?.lengthMonths,
    renewalMax: c.term.renewal?.max,
    renewalTaken: c.term.renewal?.taken,
    billingCycle: c.billingCycle,
    valueKind: c.value.kind,
    valueAmount: c.value.kind === 'FIXED_TOTAL' ? c.value.total : c.value.kind === 'CAP' ? c.value.cap : undefined,
    lots: c.lots,
    prices: c.prices.map((p): FormPrice => {
      const base = { item: p.item, lot: p.lot ?? undefined, label: p.label, unit: p.unit ?? undefined, priceKind: p.price.kind };
      if (p.price.kind === 'PER_UNIT') return { ...base, unitPrice: p.price.unitPrice, ceiling: p.price.ceiling ?? undefined };
      if (p.price.kind === 'LESS_THAN_ITEM') return { ...base, baseItem: p.price.item, less: p.price.less };
      return { ...base, share: p.price.share, dueOn: p.price.dueOn };
    }),
    penaltyRules: c.penaltyRules as FormValues['penaltyRules'],
    programmeIds: c.source.programmeIds,
    smsProviders: c.source.smsProviders,
    maintenanceContractId: c.source.maintenanceContractId,
    paymentTermDays: c.paymentTermDays ?? null,
    interestPerDay: c.interestPerDay ?? undefined,
  };
}

const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());

function toInput(v: FormValues): ContractInput {
  const prices = (v.prices ?? []).map((p): PriceEntry => {
    const base = { item: p.item, lot: blank(p.lot) ?? null, label: p.label, unit: (blank(p.unit) ?? null) as PriceEntry['unit'] };
    if (p.priceKind === 'LESS_THAN_ITEM') return { ...base, price: { kind: 'LESS_THAN_ITEM', item: p.baseItem ?? '', less: p.less ?? '' } };
    if (p.priceKind === 'SHARE_OF_TOTAL') return { ...base, price: { kind: 'SHARE_OF_TOTAL', share: p.share ?? '', dueOn: p.dueOn ?? '' } };
    return { ...base, price: { kind: 'PER_UNIT', unitPrice: p.unitPrice ?? '', ceiling: blank(p.ceiling) ?? null } };
  });
  const penaltyRules = (v.penaltyRules ?? []).map((r): PenaltyRule => {
    const fields = Object.fromEntries(RULE_FIELDS[r.kind].map((f) => [f.name, f.type === 'int' ? Number(r[f.name]) : String(r[f.name] ?? '').trim()]));
    return { id: r.id, kind: r.kind, ...fields, ...(r.kind === 'FAULT_OVERTIME' ? { tiers: (r.tiers ?? []).map((x) => ({ fromMinutes: Number(x.fromMinutes), rate: x.rate })) } : {}) };
  });
  const kind = v.serviceKind;
  const source = kind === 'SMS' ? { smsProviders: v.smsProviders ?? [] } : kind === 'MAINTENANCE' || kind === 'SYSTEM_OM' ? (v.maintenanceContractId ? { maintenanceContractId: v.maintenanceContractId } : {}) : { programmeIds: v.programmeIds ?? [] };
  return {
    code: v.code,
    name: v.name,
    authorityOrgId: v.authorityOrgId,
    supplierOrgId: v.supplierOrgId,
    serviceKind: kind,
    term: { start: v.termStart, end: v.termEnd, renewal: v.renewable ? { lengthMonths: v.renewalMonths ?? 12, max: v.renewalMax ?? 1, taken: v.renewalTaken ?? 0 } : null },
    billingCycle: v.billingCycle,
    value: v.valueKind === 'OPEN' ? { kind: 'OPEN' } : v.valueKind === 'FIXED_TOTAL' ? { kind: 'FIXED_TOTAL', total: v.valueAmount ?? '' } : { kind: 'CAP', cap: v.valueAmount ?? '' },
    lots: v.lots ?? [],
    prices,
    penaltyRules,
    source,
    paymentTermDays: v.paymentTermDays ?? null,
    interestPerDay: blank(v.interestPerDay) ?? null,
  };
}

type Path = (string | number)[];

/**
 * Where an API refusal belongs in the form, so it is shown next to the field: the codes name what
 * was wrong (a price without a unit, a term overlapping another contract, a rule), and a schema
 * refusal names the JSON path.
 */
function errorFields(err: unknown, v: FormValues): Path[] {
  if (!isApiError(err)) return [];
  const message = err.message;
  switch (err.code) {
    case 'SETTLEMENT_TERM_OVERLAP':
      return [['termStart'], ['termEnd']];
    case 'SETTLEMENT_PERIOD_OUTSIDE_TERM':
      return [['termEnd']];
    case 'SETTLEMENT_PRICE_UNIT_MISSING':
      return (v.prices ?? []).flatMap((p, i) => (blank(p.unit) ? [] : [['prices', i, 'unit']]));
    case 'SETTLEMENT_PENALTY_RULE_INVALID':
      return (v.penaltyRules ?? []).flatMap((r, i) => (r.id && message.includes(r.id) ? [['penaltyRules', i, 'id']] : []));
    case 'SETTLEMENT_RATE_INVALID':
    case 'SETTLEMENT_MONEY_INVALID': {
      const hits: Path[] = [];
      (v.penaltyRules ?? []).forEach((r, i) => RULE_FIELDS[r.kind].forEach((f) => String(r[f.name] ?? '') !== '' && message.includes(String(r[f.name])) && hits.push(['penaltyRules', i, f.name])));
      (v.prices ?? []).forEach((p, i) => (['unitPrice', 'ceiling', 'less', 'share'] as const).forEach((f) => p[f] && message.includes(p[f]) && hits.push(['prices', i, f])));
      if (v.valueAmount && message.includes(v.valueAmount)) hits.push(['valueAmount']);
      return hits;
    }
    case 'VALIDATION_FAILED': {
      const problems = (err.details as { problems?: { field: string }[] } | null)?.problems ?? [];
      return problems.map((p) => p.field.split('/').filter((s) => s !== '' && s !== 'body').map((s) => (/^\d+$/.test(s) ? Number(s) : s)));
    }
    default:
      return [];
  }
}

const dateProps = {
  getValueProps: (v: string | undefined) => ({ value: v ? dayjs(v) : undefined }),
  normalize: (d: dayjs.Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined),
};

function RuleFields({ form, index }: { form: FormInstance<FormValues>; index: number }) {
  const t = useT();
  const label = useLabel();
  const kind = Form.useWatch(['penaltyRules', index, 'kind'], form) as RuleKind | undefined;
  if (!kind) return null;
  return (
    <>
      {RULE_FIELDS[kind].map((f) => (
        <Col key={f.name} xs={12} md={6}>
          <Form.Item name={[index, f.name]} label={label(`settle.rule.field.${f.name}`)} rules={[{ required: true, message: t('settle.form.required') }]}>
            {f.type === 'int' ? <InputNumber min={0} precision={0} style={{ width: '100%' }} /> : <Input placeholder={f.type === 'rate' ? '1‰ / 0.5% / 25bp' : '10000.00'} data-testid={`rule-${index}-${f.name}`} />}
          </Form.Item>
        </Col>
      ))}
      {kind === 'FAULT_OVERTIME' && (
        <Col span={24}>
          <Form.List name={[index, 'tiers']}>
            {(tiers, { add, remove }) => (
              <Space orientation="vertical" size={0} style={{ width: '100%' }}>
                <Typography.Text type="secondary">{t('settle.rule.tiers')}</Typography.Text>
                {tiers.map((tier) => (
                  <Space key={tier.key} align="baseline">
                    <Form.Item name={[tier.name, 'fromMinutes']} label={t('settle.rule.field.fromMinutes')} rules={[{ required: true, message: t('settle.form.required') }]}>
                      <InputNumber min={0} precision={0} />
                    </Form.Item>
                    <Form.Item name={[tier.name, 'rate']} label={t('settle.rule.field.rate')} rules={[{ required: true, message: t('settle.form.required') }]}>
                      <Input style={{ width: 100 }} />
                    </Form.Item>
                    <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(tier.name)} aria-label={t('common.delete')} />
                  </Space>
                ))}
                <Button size="small" icon={<PlusOutlined />} onClick={() => add({ fromMinutes: 0, rate: '' })}>
                  {t('settle.rule.addTier')}
                </Button>
              </Space>
            )}
          </Form.List>
        </Col>
      )}
    </>
  );
}

function PriceFields({ form, index }: { form: FormInstance<FormValues>; index: number }) {
  const t = useT();
  const kind = Form.useWatch(['prices', index, 'priceKind'], form) as FormPrice['priceKind'] | undefined;
  const required = [{ required: true, message: t('settle.form.required') }];
  if (kind === 'LESS_THAN_ITEM')
    return (
      <>
        <Col xs={12} md={6}>
          <Form.Item name={[index, 'baseItem']} label={t('settle.price.baseItem')} rules={required}>
            <Input />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name={[index, 'less']} label={t('settle.price.less')} rules={required}>
            <Input />
          </Form.Item>
        </Col>
      </>
    );
  if (kind === 'SHARE_OF_TOTAL')
    return (
      <>
        <Col xs={12} md={6}>
          <Form.Item name={[index, 'share']} label={t('settle.price.share')} rules={required}>
            <Input placeholder="50%" />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name={[index, 'dueOn']} label={t('settle.price.dueOn')} rules={required} {...dateProps}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </>
    );
  return (
    <>
      <Col xs={12} md={6}>
        <Form.Item name={[index, 'unitPrice']} label={t('settle.price.unitPrice')} rules={required}>
          <Input placeholder="10.85" data-testid={`price-${index}-unitPrice`} />
        </Form.Item>
      </Col>
      <Col xs={12} md={6}>
        <Form.Item name={[index, 'ceiling']} label={t('settle.price.ceiling')}>
          <Input placeholder="10.00" />
        </Form.Item>
      </Col>
    </>
  );
}

/** The contract editor: parties, service, term with renewals, cycle, value and lots, the price list and the penalty rules as a structured form. */
export function ContractEditor({ contract, readOnly = false, onSaved }: { contract: ContractView | null; readOnly?: boolean; onSaved: (c: ContractView) => void }) {
  const t = useT();
  const label = useLabel();
  const { showSuccess } = useFeedback();
  const [form] = Form.useForm<FormValues>();
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const orgs = useLoad((signal) => fetchOrgsQuiet(signal), []);
  const programmes = useLoad((signal) => fetchProgrammes(signal).catch(() => []), []);
  const maintenance = useLoad((signal) => api.get<{ items: { id: string; name: string }[] }>('/maintenance/contracts', undefined, { signal }).catch(() => ({ items: [] })), []);
  const initial = useMemo(() => toForm(contract), [contract]);
  const serviceKind = Form.useWatch('serviceKind', form);
  const valueKind = Form.useWatch('valueKind', form);
  const renewable = Form.useWatch('renewable', form);
  const required = [{ required: true, message: t('settle.form.required') }];

  const save = async (values: FormValues) => {
    setSaving(true);
    setProblem(null);
    try {
      const body = toInput(values);
      const saved = contract ? await api.put<ContractView>(`/settlement/contracts/${encodeURIComponent(contract.id)}`, body) : await api.post<ContractView>('/settlement/contracts', body);
      showSuccess(t('common.saved'));
      onSaved(saved);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      setProblem(message);
      form.setFields(errorFields(err, values).map((name) => ({ name, errors: [message] })));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form<FormValues> form={form} layout="vertical" disabled={readOnly} initialValues={initial} onFinish={(v) => void save(v)} data-testid="settle-contract-form" scrollToFirstError>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} data-testid="settle-contract-error" />}
      <Card size="small" title={t('settle.form.parties')}>
        <Row gutter={12}>
          <Col xs={24} md={8}>
            <Form.Item name="code" label={t('settle.contract.code')} rules={required}>
              <Input maxLength={100} data-testid="contract-code" />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="name" label={t('settle.contract.name')} rules={required}>
              <Input maxLength={200} data-testid="contract-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="authorityOrgId" label={t('settle.contract.authority')} rules={required}>
              <OrgTreeSelect orgs={orgs.data ?? []} testId="contract-authority" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="supplierOrgId" label={t('settle.contract.supplier')} rules={required}>
              <OrgTreeSelect orgs={orgs.data ?? []} testId="contract-supplier" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="serviceKind" label={t('settle.contract.serviceKind')} rules={required}>
              <Select options={SERVICE_KINDS.map((k) => ({ value: k, label: label(`settle.service.${k}`) }))} data-testid="contract-service" />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            {serviceKind === 'SMS' ? (
              <Form.Item name="smsProviders" label={t('settle.contract.sourceSms')}>
                <Select mode="tags" />
              </Form.Item>
            ) : serviceKind === 'MAINTENANCE' || serviceKind === 'SYSTEM_OM' ? (
              <Form.Item name="maintenanceContractId" label={t('settle.contract.sourceMaintenance')}>
                <Select allowClear options={(maintenance.data?.items ?? []).map((m) => ({ value: m.id, label: m.name }))} />
              </Form.Item>
            ) : (
              <Form.Item name="programmeIds" label={t('settle.contract.sourceProgrammes')}>
                <Select mode="multiple" options={(programmes.data ?? []).map((p) => ({ value: p.id, label: p.name }))} data-testid="contract-programmes" />
              </Form.Item>
            )}
          </Col>
        </Row>
      </Card>

      <Card size="small" title={t('settle.form.termAndValue')} style={{ marginTop: 12 }}>
        <Row gutter={12}>
          <Col xs={12} md={6}>
            <Form.Item name="termStart" label={t('settle.contract.termStart')} rules={required} {...dateProps}>
              <DatePicker style={{ width: '100%' }} data-testid="contract-term-start" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="termEnd" label={t('settle.contract.termEnd')} rules={required} {...dateProps}>
              <DatePicker style={{ width: '100%' }} data-testid="contract-term-end" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="billingCycle" label={t('settle.contract.cycle')} rules={required}>
              <Select options={BILLING_CYCLES.map((k) => ({ value: k, label: label(`settle.cycle.${k}`) }))} data-testid="contract-cycle" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="renewable" label={t('settle.contract.renewable')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          {renewable && (
            <>
              <Col xs={8} md={6}>
                <Form.Item name="renewalMonths" label={t('settle.contract.renewalMonths')} rules={required}>
                  <InputNumber min={1} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={8} md={6}>
                <Form.Item name="renewalMax" label={t('settle.contract.renewalMax')} rules={required}>
                  <InputNumber min={0} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={8} md={6}>
                <Form.Item name="renewalTaken" label={t('settle.contract.renewalTaken')} rules={required}>
                  <InputNumber min={0} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </>
          )}
          <Col xs={12} md={6}>
            <Form.Item name="valueKind" label={t('settle.contract.valueKind')} rules={required}>
              <Select options={VALUE_KINDS.map((k) => ({ value: k, label: label(`settle.value.${k}`) }))} data-testid="contract-value-kind" />
            </Form.Item>
          </Col>
          {valueKind !== 'OPEN' && (
            <Col xs={12} md={6}>
              <Form.Item name="valueAmount" label={t('settle.contract.valueAmount')} rules={required}>
                <Input placeholder="1000000.00" data-testid="contract-value" />
              </Form.Item>
            </Col>
          )}
          <Col xs={12} md={6}>
            <Form.Item name="paymentTermDays" label={t('settle.contract.paymentTermDays')}>
              <InputNumber min={0} max={365} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="interestPerDay" label={t('settle.contract.interestRate')}>
              <Input placeholder="0.05%" />
            </Form.Item>
          </Col>
        </Row>
        <Form.List name="lots">
          {(lots, { add, remove }) => (
            <Space orientation="vertical" size={0}>
              <Typography.Text type="secondary">{t('settle.contract.lots')}</Typography.Text>
              {lots.map((lot) => (
                <Space key={lot.key} align="baseline">
                  <Form.Item name={[lot.name, 'lot']} label={t('settle.contract.lot')} rules={required}>
                    <Input style={{ width: 100 }} />
                  </Form.Item>
                  <Form.Item name={[lot.name, 'cap']} label={t('settle.contract.lotCap')} rules={required}>
                    <Input style={{ width: 160 }} />
                  </Form.Item>
                  <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(lot.name)} aria-label={t('common.delete')} />
                </Space>
              ))}
              <Button size="small" icon={<PlusOutlined />} onClick={() => add({ lot: '', cap: '' })}>
                {t('settle.contract.addLot')}
              </Button>
            </Space>
          )}
        </Form.List>
      </Card>

      <Card size="small" title={t('settle.form.prices')} style={{ marginTop: 12 }}>
        <Form.List name="prices">
          {(prices, { add, remove }) => (
            <>
              {prices.map((p) => (
                <Row key={p.key} gutter={12} align="bottom" data-testid={`price-${p.name}`} style={{ borderBottom: '1px dashed #eee', marginBottom: 8 }}>
                  <Col xs={12} md={4}>
                    <Form.Item name={[p.name, 'item']} label={t('settle.price.item')} rules={required}>
                      <Input placeholder="PERMIT_CARD" data-testid={`price-${p.name}-item`} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={6}>
                    <Form.Item name={[p.name, 'label']} label={t('settle.price.label')} rules={required}>
                      <Input data-testid={`price-${p.name}-label`} />
                    </Form.Item>
                  </Col>
                  <Col xs={8} md={2}>
                    <Form.Item name={[p.name, 'lot']} label={t('settle.contract.lot')}>
                      <Input />
                    </Form.Item>
                  </Col>
                  <Col xs={8} md={4}>
                    <Form.Item name={[p.name, 'unit']} label={t('settle.price.unit')}>
                      <Select allowClear options={PRICE_UNITS.map((u) => ({ value: u, label: label(`settle.unit.${u}`) }))} data-testid={`price-${p.name}-unit`} />
                    </Form.Item>
                  </Col>
                  <Col xs={8} md={4}>
                    <Form.Item name={[p.name, 'priceKind']} label={t('settle.price.kind')} rules={required}>
                      <Select options={PRICE_KINDS.map((k) => ({ value: k, label: label(`settle.priceKind.${k}`) }))} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={4} style={{ textAlign: 'right' }}>
                    <Form.Item>
                      <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(p.name)}>
                        {t('common.delete')}
                      </Button>
                    </Form.Item>
                  </Col>
                  <PriceFields form={form} index={p.name} />
                </Row>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ item: '', label: '', priceKind: 'PER_UNIT' })} data-testid="price-add">
                {t('settle.price.add')}
              </Button>
            </>
          )}
        </Form.List>
      </Card>

      <Card size="small" title={t('settle.form.rules')} style={{ marginTop: 12 }}>
        <Form.List name="penaltyRules">
          {(rules, { add, remove }) => (
            <>
              {rules.map((r) => (
                <Row key={r.key} gutter={12} align="bottom" data-testid={`rule-${r.name}`} style={{ borderBottom: '1px dashed #eee', marginBottom: 8 }}>
                  <Col xs={12} md={6}>
                    <Form.Item name={[r.name, 'id']} label={t('settle.rule.id')} rules={required}>
                      <Input placeholder="late-delivery" data-testid={`rule-${r.name}-id`} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={14}>
                    <Form.Item name={[r.name, 'kind']} label={t('settle.rule.kind')} rules={required}>
                      <Select options={RULE_KINDS.map((k) => ({ value: k, label: label(`settle.rule.kind.${k}`) }))} data-testid={`rule-${r.name}-kind`} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={4} style={{ textAlign: 'right' }}>
                    <Form.Item>
                      <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(r.name)}>
                        {t('common.delete')}
                      </Button>
                    </Form.Item>
                  </Col>
                  <RuleFields form={form} index={r.name} />
                </Row>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ id: '', kind: 'LATE_DELIVERY_PER_DAY' })} data-testid="rule-add">
                {t('settle.rule.add')}
              </Button>
            </>
          )}
        </Form.List>
      </Card>

      {!readOnly && (
      <Space style={{ marginTop: 12 }}>
        <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={saving} data-testid="settle-contract-save">
          {t('common.save')}
        </Button>
      </Space>
      )}
    </Form>
  );
}
