import { useEffect, useState } from 'react';
import { Alert, Form, Input, InputNumber, Modal, Radio, Select, Space, Typography } from 'antd';
import { api } from '../../api/client.ts';
import { useFeedback, useSubmit } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { ASSET_TYPES, SAM_TYPES } from './codes.ts';
import { useLabel, type Asset, type Ticket } from './shared.tsx';

/** Shapes of /api/v1/maintenance/spares answers. */
export interface StockLine {
  type: string;
  perMille: number;
  custom: boolean;
  required: number;
  stock: number;
  shortfall: number;
}
export interface Depot {
  id: string;
  name: string;
  address: string;
  siteOrgId: string;
  siteName: string;
  stock: Record<string, number>;
}
export interface ContractStock {
  contractId: string;
  contractName: string;
  outlets: number;
  mayKeepStock: boolean;
  lines: StockLine[];
  depots: Depot[];
}
interface SiteOfContract {
  orgId: string;
  name: string;
  contractId: string;
}
export interface SwapResult {
  shortfall: { type: string; required: number; stock: number; shortfall: number } | null;
  shortfallCreated: boolean;
}

interface DialogProps {
  open: boolean;
  stock: ContractStock;
  onClose: () => void;
  onDone: () => void;
}

function useContractSites(contractId: string, enabled: boolean) {
  const sites = useLoad((signal) => api.get<{ items: SiteOfContract[] }>('/maintenance/sites', undefined, { signal }), [], { enabled });
  return (sites.data?.items ?? []).filter((s) => s.contractId === contractId);
}

export function DepotDialog({ open, stock, onClose, onDone }: DialogProps) {
  const t = useT();
  const { showSuccess } = useFeedback();
  const [form] = Form.useForm<{ name: string; address: string; siteOrgId: string }>();
  const sites = useContractSites(stock.contractId, open);
  const { busy, submit } = useSubmit(onDone);
  const ok = () =>
    submit(async () => {
      const v = await form.validateFields();
      await api.post('/maintenance/spares/depots', { ...v, contractId: stock.contractId });
      showSuccess(t('maint.spare.depotCreated'));
      form.resetFields();
    });
  return (
    <Modal open={open} title={t('maint.spare.newDepot')} onCancel={onClose} onOk={ok} confirmLoading={busy} destroyOnHidden data-testid="spare-depot-dialog">
      <Form form={form} layout="vertical" name="spare-depot">
        <Form.Item name="name" label={t('maint.spare.depotName')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input maxLength={100} data-testid="spare-depot-name" />
        </Form.Item>
        <Form.Item name="address" label={t('maint.spare.depotAddress')} rules={[{ required: true, whitespace: true, max: 200 }]}>
          <Input maxLength={200} data-testid="spare-depot-address" />
        </Form.Item>
        <Form.Item name="siteOrgId" label={t('maint.spare.depotSite')} extra={t('maint.spare.depotSiteHelp')} rules={[{ required: true }]}>
          <Select showSearch optionFilterProp="label" options={sites.map((s) => ({ value: s.orgId, label: s.name }))} data-testid="spare-depot-site" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function ReceiveDialog({ open, stock, onClose, onDone }: DialogProps) {
  const t = useT();
  const label = useLabel();
  const { showSuccess } = useFeedback();
  const [form] = Form.useForm<{ depotId: string; type: string; serial: string; model: string; samCardNo?: string }>();
  const type = Form.useWatch('type', form);
  const { busy, submit } = useSubmit(onDone);
  const ok = () =>
    submit(async () => {
      const { depotId, samCardNo, ...v } = await form.validateFields();
      await api.post(`/maintenance/spares/depots/${encodeURIComponent(depotId)}/spares`, { ...v, samCardNo: samCardNo?.trim() || null, purchaseDate: null, warrantyUntil: null });
      showSuccess(t('maint.spare.received'));
      form.resetFields(['serial', 'samCardNo']);
    });
  return (
    <Modal open={open} title={t('maint.spare.receive')} onCancel={onClose} onOk={ok} confirmLoading={busy} destroyOnHidden data-testid="spare-receive-dialog">
      <Form form={form} layout="vertical" name="spare-receive" initialValues={{ depotId: stock.depots[0]?.id }}>
        <Form.Item name="depotId" label={t('maint.spare.depot')} rules={[{ required: true }]}>
          <Select options={stock.depots.map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
        <Form.Item name="type" label={t('maint.spare.type')} rules={[{ required: true }]}>
          <Select options={ASSET_TYPES.map((a) => ({ value: a, label: label(`maint.asset.type.${a}`) }))} data-testid="spare-receive-type" />
        </Form.Item>
        <Form.Item name="serial" label={t('maint.spare.serial')} rules={[{ required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/, message: t('maint.asset.serialRule') }]}>
          <Input maxLength={64} data-testid="spare-receive-serial" />
        </Form.Item>
        <Form.Item name="model" label={t('maint.spare.model')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input maxLength={100} data-testid="spare-receive-model" />
        </Form.Item>
        {type && SAM_TYPES.includes(type) && (
          <Form.Item name="samCardNo" label={t('maint.spare.sam')}>
            <Input maxLength={32} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** The spares in stock at the contract's depots and the assets at work that one could replace. */
function useSwapChoices(stock: ContractStock, open: boolean, spareType: string | undefined, siteOrgId: string | undefined) {
  const spares = useLoad(
    async (signal) => (await Promise.all(stock.depots.map((d) => api.get<{ items: Asset[] }>(`/maintenance/spares/depots/${d.id}/assets`, undefined, { signal })))).flatMap((r) => r.items.filter((a) => a.status === 'SPARE')),
    [stock],
    { enabled: open },
  );
  const sites = useContractSites(stock.contractId, open);
  const candidates = useLoad(
    async (signal) =>
      (await Promise.all(['IN_SERVICE', 'FAULTY'].map((status) => api.get<{ items: Asset[] }>('/maintenance/assets', { type: spareType, status, limit: 200 }, { signal })))).flatMap((r) => r.items),
    [spareType],
    { enabled: open && !!spareType },
  );
  const tickets = useLoad((signal) => api.get<{ items: Ticket[] }>('/maintenance/tickets', { open: true, siteOrgId, limit: 100 }, { signal }), [siteOrgId], { enabled: open && !!siteOrgId });
  const contractSites = new Set(sites.map((s) => s.orgId));
  return {
    spares: spares.data ?? [],
    candidates: (candidates.data ?? []).filter((a) => contractSites.has(a.siteOrgId)),
    tickets: tickets.data?.items ?? [],
  };
}

export function SwapDialog({ open, stock, onClose, onDone }: DialogProps & { onDone: (result?: SwapResult) => void }) {
  const t = useT();
  const label = useLabel();
  const { showSuccess, showError } = useFeedback();
  const [form] = Form.useForm<{ spareId: string; assetId: string; ticketId?: string; faultyStatus: string }>();
  const spareId = Form.useWatch('spareId', form);
  const assetId = Form.useWatch('assetId', form);
  const [busy, setBusy] = useState(false);
  const [choices, setChoices] = useState<{ spareType?: string; siteOrgId?: string }>({});
  const { spares, candidates, tickets } = useSwapChoices(stock, open, choices.spareType, choices.siteOrgId);

  useEffect(() => setChoices((c) => ({ ...c, spareType: spares.find((s) => s.id === spareId)?.type })), [spareId, spares]);
  useEffect(() => setChoices((c) => ({ ...c, siteOrgId: candidates.find((a) => a.id === assetId)?.siteOrgId })), [assetId, candidates]);

  const ok = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const out = await api.post<SwapResult>('/maintenance/spares/swap', { ...v, ticketId: v.ticketId ?? null });
      showSuccess(t('maint.spare.swapped'));
      form.resetFields();
      onDone(out);
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t('maint.spare.swap')} onCancel={onClose} onOk={ok} confirmLoading={busy} destroyOnHidden data-testid="spare-swap-dialog">
      <Typography.Paragraph type="secondary">{t('maint.spare.swapHelp')}</Typography.Paragraph>
      <Form form={form} layout="vertical" name="spare-swap" initialValues={{ faultyStatus: 'IN_REPAIR' }}>
        <Form.Item name="spareId" label={t('maint.spare.spare')} rules={[{ required: true }]}>
          <Select
            showSearch
            optionFilterProp="label"
            options={spares.map((s) => ({ value: s.id, label: `${label(`maint.asset.type.${s.type}`)} · ${s.serial} · ${s.model}` }))}
            onChange={() => form.setFieldsValue({ assetId: undefined, ticketId: undefined })}
            data-testid="spare-swap-spare"
          />
        </Form.Item>
        <Form.Item name="assetId" label={t('maint.spare.replace')} rules={[{ required: true }]}>
          <Select
            showSearch
            optionFilterProp="label"
            disabled={!spareId}
            options={candidates.map((a) => ({ value: a.id, label: `${a.siteName} · ${a.serial} · ${label(`maint.asset.status.${a.status}`)}` }))}
            onChange={() => form.setFieldsValue({ ticketId: undefined })}
            data-testid="spare-swap-asset"
          />
        </Form.Item>
        <Form.Item name="ticketId" label={t('maint.spare.ticket')}>
          <Select allowClear disabled={!assetId} options={tickets.map((k) => ({ value: k.id, label: `${k.ticketNo} · ${k.category}` }))} data-testid="spare-swap-ticket" />
        </Form.Item>
        <Form.Item name="faultyStatus" label={t('maint.spare.faultyStatus')}>
          <Radio.Group optionType="button" options={['IN_REPAIR', 'FAULTY'].map((s) => ({ value: s, label: label(`maint.spare.faulty.${s}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The client's manager sets the contract's shares in percent (stored as per-mille); empty goes back to the seed's. */
export function SharesDialog({ open, stock, onClose, onDone }: DialogProps) {
  const t = useT();
  const label = useLabel();
  const { showSuccess } = useFeedback();
  const [shares, setShares] = useState<Record<string, number | null>>({});
  const { busy, submit } = useSubmit(onDone);
  useEffect(() => {
    if (open) setShares(Object.fromEntries(stock.lines.map((l) => [l.type, l.custom ? l.perMille / 10 : null])));
  }, [open, stock]);
  const ok = () =>
    submit(async () => {
      const ratios = stock.lines.map((l) => ({ type: l.type, perMille: shares[l.type] == null ? null : Math.round(shares[l.type]! * 10) }));
      await api.put(`/maintenance/spares/ratios/${encodeURIComponent(stock.contractId)}`, { ratios });
      showSuccess(t('maint.spare.sharesSaved'));
    });
  return (
    <Modal open={open} title={t('maint.spare.editShares')} onCancel={onClose} onOk={ok} confirmLoading={busy} destroyOnHidden data-testid="spare-shares-dialog">
      <Alert type="info" showIcon title={t('maint.spare.shareHelp')} style={{ marginBottom: 12 }} />
      <Space orientation="vertical" size={6} style={{ width: '100%' }}>
        {stock.lines.map((l) => (
          <Space key={l.type} style={{ width: '100%', justifyContent: 'space-between' }}>
            <span>{label(`maint.asset.type.${l.type}`)}</span>
            <InputNumber
              min={0}
              max={100}
              step={0.1}
              precision={1}
              suffix="%"
              placeholder={l.custom ? undefined : String(l.perMille / 10)}
              value={shares[l.type] ?? null}
              onChange={(v) => setShares((s) => ({ ...s, [l.type]: v }))}
              aria-label={label(`maint.asset.type.${l.type}`)}
              style={{ width: 120 }}
            />
          </Space>
        ))}
      </Space>
    </Modal>
  );
}
