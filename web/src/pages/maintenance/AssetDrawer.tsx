import { useState } from 'react';
import { Descriptions, Drawer, Select, Space, Timeline, Typography } from 'antd';
import { api } from '../../api/client.ts';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { ASSET_STATUSES } from './codes.ts';
import { useLabel, type Asset } from './shared.tsx';

interface Change {
  seq: number;
  kind: string;
  changes: Record<string, { from: unknown; to: unknown }>;
  actorName: string;
  at: string;
}

/** One asset of the ledger: its fields, a status change for engineers, and every change so far (who, when, old → new). */
export function AssetDrawer({ asset, canManage, onClose, onChanged }: { asset: Asset | null; canManage: boolean; onClose: () => void; onChanged: (a: Asset) => void }) {
  const t = useT();
  const label = useLabel();
  const { showError, showSuccess } = useFeedback();
  const [busy, setBusy] = useState(false);
  const history = useLoad((signal) => api.get<{ items: Change[]; orgNames: Record<string, string> }>(`/maintenance/assets/${encodeURIComponent(asset?.id ?? '')}/history`, undefined, { signal }), [asset?.id, asset?.status], {
    enabled: !!asset,
  });

  const setStatus = async (status: string) => {
    if (!asset) return;
    setBusy(true);
    try {
      const updated = await api.patch<Asset>(`/maintenance/assets/${encodeURIComponent(asset.id)}`, { status });
      showSuccess(t('maint.action.done'));
      onChanged(updated);
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const shown = (field: string, value: unknown) => {
    if (value === null || value === undefined || value === '') return '—';
    if (field === 'status') return label(`maint.asset.status.${String(value)}`);
    if (field === 'type') return label(`maint.asset.type.${String(value)}`);
    if (field === 'siteOrgId') return history.data?.orgNames[String(value)] ?? String(value);
    return String(value);
  };

  return (
    <Drawer open={!!asset} onClose={onClose} title={asset ? <span className="cf-mono">{asset.serial}</span> : ''} size="default" data-testid="asset-drawer">
      {asset && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('maint.asset.type')}>{label(`maint.asset.type.${asset.type}`)}</Descriptions.Item>
            <Descriptions.Item label={t('maint.ticket.site')}>{asset.siteName}</Descriptions.Item>
            <Descriptions.Item label={t('maint.asset.model')}>{asset.model}</Descriptions.Item>
            <Descriptions.Item label={t('maint.asset.sam')}>{asset.samCardNo ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('maint.asset.purchaseDate')}>{asset.purchaseDate ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('maint.asset.warrantyUntil')}>{asset.warrantyUntil ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('maint.asset.status')}>
              {canManage ? (
                <Select
                  value={asset.status}
                  loading={busy}
                  style={{ minWidth: 140 }}
                  options={ASSET_STATUSES.map((v) => ({ value: v, label: label(`maint.asset.status.${v}`) }))}
                  onChange={setStatus}
                  data-testid="asset-status-select"
                />
              ) : (
                label(`maint.asset.status.${asset.status}`)
              )}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5}>{t('maint.asset.history')}</Typography.Title>
          <Timeline
            data-testid="asset-history"
            items={(history.data?.items ?? []).map((c) => ({
              key: c.seq,
              content: (
                <Space orientation="vertical" size={0}>
                  <span>
                    <strong>{label(`maint.asset.change.${c.kind}`)}</strong> · {formatDateTime(c.at)} · {c.actorName}
                  </span>
                  {c.kind === 'UPDATE' &&
                    Object.entries(c.changes).map(([field, { from, to }]) => (
                      <Typography.Text key={field} type="secondary">
                        {label(`maint.asset.field.${field}`)}: {shown(field, from)} → {shown(field, to)}
                      </Typography.Text>
                    ))}
                </Space>
              ),
            }))}
          />
        </Space>
      )}
    </Drawer>
  );
}
