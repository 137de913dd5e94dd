import { useState } from 'react';
import { Button, Card, Checkbox, Col, DatePicker, Descriptions, Empty, Form, Input, InputNumber, Modal, Radio, Row, Select, Space, Spin, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api } from '../../api/client.ts';
import { fetchOrgsQuiet } from '../../api/resources.ts';
import { useFeedback } from '../../components/feedback.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { duration, useLabel } from './shared.tsx';

type Zone = 'URBAN' | 'SUBURBAN';
type PerZone = Record<Zone, number>;
const ZONES: readonly Zone[] = ['URBAN', 'SUBURBAN'];
const SERVICES = ['SOCIAL_SECURITY_CARD', 'RESIDENCE_PERMIT'] as const;
/** The zone table choice that creates a new table from the server's preset (POST /maintenance/zone-tables). */
const PRESET_CHOICE = 'preset:SHANGHAI_2025';
const HOURS_PATTERN = /^\s*\d{2}:\d{2}-\d{2}:\d{2}(\s*,\s*\d{2}:\d{2}-\d{2}:\d{2})*\s*$/;

interface Contract {
  id: string;
  name: string;
  authorityName: string;
  maintainerOrgId: string;
  maintainerName: string;
  termStart: string;
  termEnd: string;
  zoneTableId: string | null;
  clock: 'WORKING' | 'ROUND_THE_CLOCK';
  responseTarget: 'ACKNOWLEDGED' | 'ON_SITE';
  responseMinutes: PerZone;
  fixMinutes: PerZone | null;
  warnPercent: number;
  breachTerminationCount: number | null;
}
interface ZoneTable {
  id: string;
  name: string;
  version: number;
  entries: unknown[];
}
interface Site {
  orgId: string;
  name: string;
  regionCode: string | null;
  contractId: string;
  contractName: string;
  services: string[];
  openingHours: string;
  zoneOverride: Zone | null;
  zone: Zone | null;
}

interface ContractForm {
  name: string;
  authorityOrgId: string;
  maintainerOrgId: string;
  termStart: Dayjs;
  termEnd: Dayjs;
  zoneTable: string;
  clock: Contract['clock'];
  responseTarget: Contract['responseTarget'];
  responseMinutes: PerZone;
  withFix: boolean;
  fixMinutes?: PerZone;
  warnPercent: number;
  breachTerminationCount?: number | null;
}
interface SiteForm {
  orgId: string;
  contractId: string;
  services: string[];
  openingHours: string;
  zoneOverride: Zone | 'BY_DISTRICT';
}

/** 运维设置: the maintenance contracts of my authority with their SLA, and the outlets each one serves. */
export default function SetupPage() {
  const t = useT();
  const label = useLabel();
  const { showError, showSuccess } = useFeedback();
  const [editingContract, setEditingContract] = useState(false);
  const [editingSite, setEditingSite] = useState<'new' | Site | null>(null);
  const [busy, setBusy] = useState(false);
  const [contractForm] = Form.useForm<ContractForm>();
  const [siteForm] = Form.useForm<SiteForm>();
  const withFix = Form.useWatch('withFix', contractForm);

  const contracts = useLoad((signal) => api.get<{ items: Contract[] }>('/maintenance/contracts', undefined, { signal }), []);
  const zoneTables = useLoad((signal) => api.get<{ items: ZoneTable[] }>('/maintenance/zone-tables', undefined, { signal }), []);
  const sites = useLoad((signal) => api.get<{ items: Site[] }>('/maintenance/sites', undefined, { signal }), []);
  const orgs = useLoad((signal) => fetchOrgsQuiet(signal), []);
  const orgOptions = (kind: string) => (orgs.data ?? []).filter((o) => o.kind === kind).map((o) => ({ value: o.id, label: o.name }));
  // A maintenance company is often registered outside the authority's own tree, where the organisation
  // list does not reach; the maintainers of the contracts already signed are offered as well.
  const maintainerOptions = [
    ...new Map(
      [...orgOptions('MAINTAINER'), ...(contracts.data?.items ?? []).map((c) => ({ value: c.maintainerOrgId, label: c.maintainerName }))].map((o) => [o.value, o]),
    ).values(),
  ];
  const tableName = (id: string | null) => {
    const table = (zoneTables.data?.items ?? []).find((z) => z.id === id);
    return table ? t('maint.setup.tableVersion', { name: table.name, version: table.version }) : t('maint.setup.noZoneTable');
  };
  const perZone = (m: PerZone) => ZONES.map((z) => `${label(`maint.zone.${z}`)} ${duration(t, m[z])}`).join(' · ');

  const openContract = () => {
    contractForm.resetFields();
    const authorities = orgOptions('AUTHORITY');
    contractForm.setFieldsValue({
      authorityOrgId: authorities.length === 1 ? authorities[0]!.value : undefined,
      zoneTable: PRESET_CHOICE,
      clock: 'WORKING',
      responseTarget: 'ACKNOWLEDGED',
      responseMinutes: { URBAN: 120, SUBURBAN: 180 },
      withFix: false,
      warnPercent: 75,
      breachTerminationCount: 5,
    });
    setEditingContract(true);
  };

  const saveContract = async () => {
    const v = await contractForm.validateFields();
    setBusy(true);
    try {
      let zoneTableId: string | null = v.zoneTable === 'NONE' ? null : v.zoneTable;
      if (v.zoneTable === PRESET_CHOICE) {
        const created = await api.post<ZoneTable>('/maintenance/zone-tables', { name: t('maint.setup.presetName'), preset: 'SHANGHAI_2025' });
        zoneTableId = created.id;
      }
      await api.post<Contract>('/maintenance/contracts', {
        name: v.name.trim(),
        authorityOrgId: v.authorityOrgId,
        maintainerOrgId: v.maintainerOrgId,
        termStart: v.termStart.format('YYYY-MM-DD'),
        termEnd: v.termEnd.format('YYYY-MM-DD'),
        zoneTableId,
        clock: v.clock,
        responseTarget: v.responseTarget,
        responseMinutes: v.responseMinutes,
        fixMinutes: v.withFix && v.fixMinutes ? v.fixMinutes : null,
        warnPercent: v.warnPercent,
        breachTerminationCount: v.breachTerminationCount ?? null,
      });
      showSuccess(t('maint.setup.contractSaved'));
      setEditingContract(false);
      contracts.reload();
      zoneTables.reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const openSite = (site: Site | null) => {
    siteForm.resetFields();
    const only = contracts.data?.items.length === 1 ? contracts.data.items[0]!.id : undefined;
    siteForm.setFieldsValue(
      site
        ? { orgId: site.orgId, contractId: site.contractId, services: site.services, openingHours: site.openingHours, zoneOverride: site.zoneOverride ?? 'BY_DISTRICT' }
        : { contractId: only, services: [...SERVICES], openingHours: '09:00-17:00', zoneOverride: 'BY_DISTRICT' },
    );
    setEditingSite(site ?? 'new');
  };

  const saveSite = async () => {
    const v = await siteForm.validateFields();
    setBusy(true);
    try {
      await api.put<Site>(`/maintenance/sites/${encodeURIComponent(v.orgId)}`, {
        contractId: v.contractId,
        services: v.services,
        openingHours: v.openingHours.trim(),
        zoneOverride: v.zoneOverride === 'BY_DISTRICT' ? null : v.zoneOverride,
      });
      showSuccess(t('maint.setup.siteSaved'));
      setEditingSite(null);
      sites.reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const minutesItem = (name: 'responseMinutes' | 'fixMinutes', zone: Zone) => (
    <Form.Item
      name={[name, zone]}
      label={label(`maint.zone.${zone}`)}
      rules={[{ required: true, type: 'integer', min: 1, max: 100_000, message: t('maint.setup.minutesRule') }]}
      style={{ marginBottom: 8 }}
    >
      <InputNumber min={1} max={100_000} step={30} addonAfter={t('maint.setup.minutesUnit')} style={{ width: '100%' }} data-testid={`contract-${name}-${zone}`} />
    </Form.Item>
  );

  return (
    <div data-testid="page-maint-setup">
      <PageHeader title={t('maint.menu.setup')} />
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card
          size="small"
          title={t('maint.setup.contracts')}
          extra={
            <Button type="primary" icon={<PlusOutlined />} onClick={openContract} data-testid="contract-new">
              {t('maint.setup.newContract')}
            </Button>
          }
        >
          <Spin spinning={contracts.loading}>
            {(contracts.data?.items ?? []).length === 0 ? (
              <Empty description={t('maint.setup.noContracts')} />
            ) : (
              <Row gutter={[12, 12]} data-testid="contract-list">
                {(contracts.data?.items ?? []).map((c) => (
                  <Col key={c.id} xs={24} lg={12}>
                    <Card size="small" type="inner" title={c.name} data-testid={`contract-card-${c.id}`}>
                      <Descriptions column={1} size="small">
                        <Descriptions.Item label={t('maint.setup.maintainer')}>{c.maintainerName}</Descriptions.Item>
                        <Descriptions.Item label={t('maint.setup.term')}>{`${c.termStart} ~ ${c.termEnd}`}</Descriptions.Item>
                        <Descriptions.Item label={t('maint.setup.clock')}>
                          <Tag>{label(`maint.setup.clock.${c.clock}`)}</Tag>
                          {label(`maint.setup.target.${c.responseTarget}`)}
                        </Descriptions.Item>
                        <Descriptions.Item label={t('maint.clock.RESPONSE')}>{perZone(c.responseMinutes)}</Descriptions.Item>
                        <Descriptions.Item label={t('maint.clock.FIX')}>{c.fixMinutes ? perZone(c.fixMinutes) : t('maint.setup.noFix')}</Descriptions.Item>
                        <Descriptions.Item label={t('maint.setup.warnPercent')}>{c.warnPercent}%</Descriptions.Item>
                        <Descriptions.Item label={t('maint.setup.termination')}>
                          {c.breachTerminationCount === null ? t('maint.setup.noTermination') : t('maint.breach.threshold', { threshold: c.breachTerminationCount })}
                        </Descriptions.Item>
                        <Descriptions.Item label={t('maint.setup.zoneTable')}>{tableName(c.zoneTableId)}</Descriptions.Item>
                      </Descriptions>
                    </Card>
                  </Col>
                ))}
              </Row>
            )}
          </Spin>
        </Card>

        <Card
          size="small"
          title={t('maint.setup.sites')}
          extra={
            <Button icon={<PlusOutlined />} onClick={() => openSite(null)} disabled={(contracts.data?.items ?? []).length === 0} data-testid="site-new">
              {t('maint.setup.newSite')}
            </Button>
          }
        >
          <Spin spinning={sites.loading}>
            {(sites.data?.items ?? []).length === 0 ? (
              <Empty description={t('maint.setup.noSites')} />
            ) : (
              <Row gutter={[12, 12]} data-testid="site-list">
                {(sites.data?.items ?? []).map((s) => (
                  <Col key={s.orgId} xs={24} md={12} xl={8}>
                    <Card
                      size="small"
                      type="inner"
                      title={s.name}
                      extra={<Button type="link" size="small" icon={<EditOutlined />} onClick={() => openSite(s)} aria-label={t('maint.setup.editSite')} data-testid={`site-edit-${s.orgId}`} />}
                      data-testid={`site-card-${s.orgId}`}
                    >
                      <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                        <Typography.Text type="secondary">{s.contractName}</Typography.Text>
                        <span>
                          {t('maint.setup.openingHours')}: {s.openingHours}
                        </span>
                        <span>
                          {t('maint.ticket.zone')}:{' '}
                          {s.zone ? <Tag color={s.zone === 'URBAN' ? 'blue' : 'green'}>{label(`maint.zone.${s.zone}`)}</Tag> : <Tag color="red">{t('maint.setup.zoneUnknown')}</Tag>}
                          {s.zoneOverride && <Typography.Text type="secondary">{t('maint.setup.overridden')}</Typography.Text>}
                        </span>
                        <Space size={4} wrap>
                          {s.services.map((x) => (
                            <Tag key={x}>{label(`maint.setup.service.${x}`)}</Tag>
                          ))}
                        </Space>
                      </Space>
                    </Card>
                  </Col>
                ))}
              </Row>
            )}
          </Spin>
        </Card>
      </Space>

      <Modal
        open={editingContract}
        title={t('maint.setup.newContract')}
        onCancel={() => setEditingContract(false)}
        onOk={saveContract}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'contract-submit' } as Record<string, string>}
        forceRender
      >
        <Form form={contractForm} layout="vertical" name="maint-contract">
          <Form.Item name="name" label={t('maint.setup.contractName')} rules={[{ required: true, whitespace: true, max: 100, message: t('maint.setup.nameRule') }]}>
            <Input maxLength={100} data-testid="contract-name" />
          </Form.Item>
          <Form.Item name="authorityOrgId" label={t('maint.setup.authority')} rules={[{ required: true, message: t('maint.setup.authorityRule') }]}>
            <Select options={orgOptions('AUTHORITY')} showSearch optionFilterProp="label" data-testid="contract-authority" />
          </Form.Item>
          <Form.Item name="maintainerOrgId" label={t('maint.setup.maintainer')} rules={[{ required: true, message: t('maint.setup.maintainerRule') }]}>
            <Select options={maintainerOptions} showSearch optionFilterProp="label" data-testid="contract-maintainer" />
          </Form.Item>
          <Row gutter={8}>
            <Col xs={24} sm={12}>
              <Form.Item name="termStart" label={t('maint.setup.termStart')} rules={[{ required: true, message: t('maint.setup.termRule') }]}>
                <DatePicker style={{ width: '100%' }} data-testid="contract-term-start" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item
                name="termEnd"
                label={t('maint.setup.termEnd')}
                dependencies={['termStart']}
                rules={[
                  { required: true, message: t('maint.setup.termRule') },
                  ({ getFieldValue }) => ({
                    validator: (_, end: Dayjs | undefined) => {
                      const start = getFieldValue('termStart') as Dayjs | undefined;
                      return !end || !start || !end.isBefore(start, 'day') ? Promise.resolve() : Promise.reject(new Error(t('maint.setup.termOrderRule')));
                    },
                  }),
                ]}
              >
                <DatePicker style={{ width: '100%' }} data-testid="contract-term-end" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="clock" label={t('maint.setup.clock')} extra={t('maint.setup.clockHint')}>
            <Radio.Group optionType="button" options={(['WORKING', 'ROUND_THE_CLOCK'] as const).map((c) => ({ value: c, label: label(`maint.setup.clock.${c}`) }))} data-testid="contract-clock" />
          </Form.Item>
          <Form.Item name="responseTarget" label={t('maint.setup.target')}>
            <Radio.Group optionType="button" options={(['ACKNOWLEDGED', 'ON_SITE'] as const).map((c) => ({ value: c, label: label(`maint.setup.target.${c}`) }))} data-testid="contract-target" />
          </Form.Item>
          <Typography.Text strong>{t('maint.clock.RESPONSE')}</Typography.Text>
          <Row gutter={8}>
            {ZONES.map((z) => (
              <Col key={z} span={12}>
                {minutesItem('responseMinutes', z)}
              </Col>
            ))}
          </Row>
          <Form.Item name="withFix" valuePropName="checked" style={{ marginBottom: 8 }}>
            <Checkbox data-testid="contract-with-fix">{t('maint.setup.withFix')}</Checkbox>
          </Form.Item>
          {withFix && (
            <Row gutter={8}>
              {ZONES.map((z) => (
                <Col key={z} span={12}>
                  {minutesItem('fixMinutes', z)}
                </Col>
              ))}
            </Row>
          )}
          <Row gutter={8}>
            <Col span={12}>
              <Form.Item name="warnPercent" label={t('maint.setup.warnPercent')} rules={[{ required: true, type: 'integer', min: 1, max: 99, message: t('maint.setup.warnRule') }]}>
                <InputNumber min={1} max={99} addonAfter="%" style={{ width: '100%' }} data-testid="contract-warn" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="breachTerminationCount"
                label={t('maint.setup.termination')}
                extra={t('maint.setup.terminationHint')}
                rules={[{ type: 'integer', min: 1, max: 1000, message: t('maint.setup.terminationRule') }]}
              >
                <InputNumber min={1} max={1000} style={{ width: '100%' }} data-testid="contract-termination" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="zoneTable" label={t('maint.setup.zoneTable')} extra={t('maint.setup.zoneTableHint')}>
            <Select
              data-testid="contract-zone-table"
              options={[
                { value: PRESET_CHOICE, label: t('maint.setup.presetShanghai') },
                ...(zoneTables.data?.items ?? []).map((z) => ({ value: z.id, label: t('maint.setup.tableVersion', { name: z.name, version: z.version }) })),
                { value: 'NONE', label: t('maint.setup.noZoneTable') },
              ]}
            />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={editingSite !== null}
        title={editingSite === 'new' ? t('maint.setup.newSite') : t('maint.setup.editSite')}
        onCancel={() => setEditingSite(null)}
        onOk={saveSite}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'site-submit' } as Record<string, string>}
        forceRender
      >
        <Form form={siteForm} layout="vertical" name="maint-site">
          <Form.Item name="orgId" label={t('maint.ticket.site')} rules={[{ required: true, message: t('maint.ticket.siteRule') }]}>
            <Select options={orgOptions('OUTLET')} showSearch optionFilterProp="label" disabled={editingSite !== 'new'} data-testid="site-org" />
          </Form.Item>
          <Form.Item name="contractId" label={t('maint.breach.contract')} rules={[{ required: true, message: t('maint.setup.contractRule') }]}>
            <Select options={(contracts.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))} data-testid="site-contract" />
          </Form.Item>
          <Form.Item name="services" label={t('maint.setup.services')}>
            <Checkbox.Group options={SERVICES.map((s) => ({ value: s, label: label(`maint.setup.service.${s}`) }))} data-testid="site-services" />
          </Form.Item>
          <Form.Item
            name="openingHours"
            label={t('maint.setup.openingHours')}
            extra={t('maint.setup.openingHoursHint')}
            rules={[{ required: true, pattern: HOURS_PATTERN, message: t('maint.setup.openingHoursRule') }]}
          >
            <Input placeholder="09:00-12:00,13:00-17:00" maxLength={100} data-testid="site-hours" />
          </Form.Item>
          <Form.Item name="zoneOverride" label={t('maint.ticket.zone')} extra={t('maint.setup.zoneOverrideHint')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'BY_DISTRICT', label: t('maint.setup.byDistrict') },
                ...ZONES.map((z) => ({ value: z, label: label(`maint.zone.${z}`) })),
              ]}
              data-testid="site-zone"
            />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
