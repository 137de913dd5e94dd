import { useState } from 'react';
import { Alert, Button, DatePicker, Form, Input, Modal, Select, Space, Table, Tabs, Tag, Upload } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api, isApiError } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useFeedback } from '../../components/feedback.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { AssetDrawer } from './AssetDrawer.tsx';
import { SoftwarePanel } from './SoftwarePanel.tsx';
import { ASSET_STATUSES, ASSET_TYPES, SAM_TYPES } from './codes.ts';
import { download, useLabel, type Asset, type Site } from './shared.tsx';

interface AssetForm {
  siteOrgId: string;
  type: string;
  serial: string;
  model: string;
  status: string;
  samCardNo?: string;
  purchaseDate?: Dayjs;
  warrantyUntil?: Dayjs;
}
type RowError = { row: number; serial: string | null; errors: string[] };

function base64Of(buffer: ArrayBuffer): string {
  let binary = '';
  const bytes = new Uint8Array(buffer);
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** 设备台帐: every asset of the outlets I may see, with import (all or nothing) and export. */
export default function AssetsPage() {
  const t = useT();
  const label = useLabel();
  const { can } = useAuth();
  const { showError, showSuccess } = useFeedback();
  const canManage = can('asset.manage');
  const [filter, setFilter] = useState<{ type?: string; status?: string }>({});
  const [page, setPage] = useState({ current: 1, size: 50 });
  const [adding, setAdding] = useState(false);
  const [busy, setBusy] = useState(false);
  const [importErrors, setImportErrors] = useState<RowError[] | null>(null);
  const [selected, setSelected] = useState<Asset | null>(null);
  const [form] = Form.useForm<AssetForm>();
  const type = Form.useWatch('type', form);

  const { data, loading, reload } = useLoad(
    (signal) => api.get<{ items: Asset[]; total: number }>('/maintenance/assets', { ...filter, limit: page.size, offset: (page.current - 1) * page.size }, { signal }),
    [filter.type, filter.status, page.current, page.size],
  );
  const sites = useLoad((signal) => api.get<{ items: Site[] }>('/maintenance/sites', undefined, { signal }), [], { enabled: adding });

  const add = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await api.post('/maintenance/assets', {
        siteOrgId: v.siteOrgId,
        type: v.type,
        serial: v.serial.trim(),
        model: v.model.trim(),
        status: v.status,
        samCardNo: v.samCardNo?.trim() || null,
        purchaseDate: v.purchaseDate?.format('YYYY-MM-DD') ?? null,
        warrantyUntil: v.warrantyUntil?.format('YYYY-MM-DD') ?? null,
      });
      showSuccess(t('maint.asset.added'));
      setAdding(false);
      reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const importFile = async (file: File) => {
    const xlsx = /\.xlsx$/i.test(file.name);
    try {
      const content = xlsx ? base64Of(await file.arrayBuffer()) : await file.text();
      const out = await api.post<{ imported: number }>('/maintenance/assets/import', { format: xlsx ? 'xlsx' : 'csv', content });
      showSuccess(t('maint.asset.imported', { count: out.imported }));
      reload();
    } catch (err) {
      if (isApiError(err, 'ASSET_IMPORT_INVALID')) setImportErrors((err.details as { rows: RowError[] }).rows);
      else showError(err);
    }
    return false;
  };

  const columns: TableColumnsType<Asset> = [
    { title: t('maint.asset.serial'), dataIndex: 'serial', key: 'serial', width: 150, fixed: 'left', render: (v: string) => <span className="cf-mono">{v}</span> },
    { title: t('maint.asset.type'), dataIndex: 'type', key: 'type', width: 150, render: (v: string) => label(`maint.asset.type.${v}`) },
    { title: t('maint.ticket.site'), dataIndex: 'siteName', key: 'site', width: 180 },
    { title: t('maint.asset.model'), dataIndex: 'model', key: 'model', width: 150 },
    { title: t('maint.asset.status'), dataIndex: 'status', key: 'status', width: 100, render: (v: string) => <Tag data-status={v}>{label(`maint.asset.status.${v}`)}</Tag> },
    { title: t('maint.asset.sam'), dataIndex: 'samCardNo', key: 'sam', width: 130, render: (v: string | null) => v ?? '' },
    { title: t('maint.asset.purchaseDate'), dataIndex: 'purchaseDate', key: 'purchase', width: 110, render: (v: string | null) => v ?? '' },
    { title: t('maint.asset.warrantyUntil'), dataIndex: 'warrantyUntil', key: 'warranty', width: 110, render: (v: string | null) => v ?? '' },
  ];

  return (
    <div data-testid="page-maint-assets">
      <PageHeader title={t('maint.menu.assets')}>
        <Space wrap>
          <Select
            allowClear
            placeholder={t('maint.asset.type')}
            style={{ minWidth: 150 }}
            options={ASSET_TYPES.map((v) => ({ value: v, label: label(`maint.asset.type.${v}`) }))}
            onChange={(v?: string) => {
              setFilter((f) => ({ ...f, type: v }));
              setPage((p) => ({ ...p, current: 1 }));
            }}
            data-testid="asset-type-filter"
          />
          <Select
            allowClear
            placeholder={t('maint.asset.status')}
            style={{ minWidth: 110 }}
            options={ASSET_STATUSES.map((v) => ({ value: v, label: label(`maint.asset.status.${v}`) }))}
            onChange={(v?: string) => {
              setFilter((f) => ({ ...f, status: v }));
              setPage((p) => ({ ...p, current: 1 }));
            }}
            data-testid="asset-status-filter"
          />
          <Button icon={<DownloadOutlined />} onClick={() => download('/maintenance/assets/ledger', { format: 'xlsx' }, '设备台帐.xlsx').catch(showError)} data-testid="asset-export">
            {t('maint.asset.export')}
          </Button>
          {canManage && (
            <>
              <Upload accept=".csv,.xlsx" showUploadList={false} beforeUpload={importFile}>
                <Button icon={<UploadOutlined />} data-testid="asset-import">
                  {t('maint.asset.import')}
                </Button>
              </Upload>
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => {
                  form.resetFields();
                  form.setFieldValue('status', 'IN_SERVICE');
                  setAdding(true);
                }}
                data-testid="asset-add"
              >
                {t('maint.asset.add')}
              </Button>
            </>
          )}
        </Space>
      </PageHeader>
      {canManage && <Alert type="info" showIcon title={t('maint.asset.importHint')} style={{ marginBottom: 12 }} />}
      <Tabs
        items={[
          {
            key: 'assets',
            label: t('maint.tab.assets'),
            children: (
              <Table<Asset>
                rowKey="id"
                size="small"
                loading={loading}
                columns={columns}
                dataSource={data?.items ?? []}
                scroll={{ x: 1080 }}
                data-testid="asset-table"
                onRow={(a) => ({ onClick: () => setSelected(a), style: { cursor: 'pointer' }, 'data-testid': `asset-row-${a.serial}` }) as React.HTMLAttributes<HTMLElement>}
                pagination={{
                  current: page.current,
                  pageSize: page.size,
                  total: data?.total ?? 0,
                  showTotal: (total) => t('common.total', { total }),
                  onChange: (current, size) => setPage({ current: size !== page.size ? 1 : current, size }),
                }}
              />
            ),
          },
          { key: 'software', label: t('maint.tab.software'), children: <SoftwarePanel canManage={canManage} /> },
        ]}
        data-testid="asset-tabs"
      />
      <AssetDrawer
        asset={selected}
        canManage={canManage}
        onClose={() => setSelected(null)}
        onChanged={(a) => {
          setSelected(a);
          reload();
        }}
      />
      <Modal open={importErrors !== null} title={t('maint.asset.importErrors')} onCancel={() => setImportErrors(null)} footer={null} data-testid="asset-import-errors">
        <ul data-testid="asset-import-error-rows">
          {(importErrors ?? []).map((r) => (
            <li key={r.row}>
              {t('maint.asset.row', { row: r.row })}
              {r.serial ? ` · ${r.serial}` : ''}: {r.errors.join('; ')}
            </li>
          ))}
        </ul>
      </Modal>
      <Modal
        open={adding}
        title={t('maint.asset.add')}
        onCancel={() => setAdding(false)}
        onOk={add}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'asset-submit' } as Record<string, string>}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" name="asset-add">
          <Form.Item name="siteOrgId" label={t('maint.ticket.site')} rules={[{ required: true, message: t('maint.ticket.siteRule') }]}>
            <Select loading={sites.loading} options={(sites.data?.items ?? []).map((s) => ({ value: s.orgId, label: s.name }))} showSearch optionFilterProp="label" />
          </Form.Item>
          <Form.Item name="type" label={t('maint.asset.type')} rules={[{ required: true, message: t('maint.asset.type') }]}>
            <Select options={ASSET_TYPES.map((v) => ({ value: v, label: label(`maint.asset.type.${v}`) }))} />
          </Form.Item>
          <Form.Item name="serial" label={t('maint.asset.serial')} rules={[{ required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/, message: t('maint.asset.serialRule') }]}>
            <Input maxLength={64} />
          </Form.Item>
          <Form.Item name="model" label={t('maint.asset.model')} rules={[{ required: true, whitespace: true, max: 100, message: t('maint.asset.modelRule') }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="status" label={t('maint.asset.status')} rules={[{ required: true }]}>
            <Select options={ASSET_STATUSES.map((v) => ({ value: v, label: label(`maint.asset.status.${v}`) }))} />
          </Form.Item>
          {SAM_TYPES.includes(type ?? '') && (
            <Form.Item name="samCardNo" label={t('maint.asset.sam')}>
              <Input maxLength={32} />
            </Form.Item>
          )}
          <Space wrap>
            <Form.Item name="purchaseDate" label={t('maint.asset.purchaseDate')}>
              <DatePicker />
            </Form.Item>
            <Form.Item name="warrantyUntil" label={t('maint.asset.warrantyUntil')}>
              <DatePicker />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </div>
  );
}
