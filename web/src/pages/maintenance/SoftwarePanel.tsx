import { useEffect, useState } from 'react';
import { Button, Empty, Input, Select, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { SaveOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { useLabel, type Site } from './shared.tsx';

interface Software {
  items: { item: string; version: string | null; updatedAt: string | null }[];
  changes: { item: string; fromVersion: string | null; toVersion: string; actorName: string; at: string }[];
}

/** The software of one outlet (seed 001 table 1): installed versions, edited in place, with the change history below. */
export function SoftwarePanel({ canManage }: { canManage: boolean }) {
  const t = useT();
  const label = useLabel();
  const { showError, showSuccess } = useFeedback();
  const [siteOrgId, setSiteOrgId] = useState<string | undefined>(undefined);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const sites = useLoad((signal) => api.get<{ items: Site[] }>('/maintenance/sites', undefined, { signal }), []);
  const software = useLoad((signal) => api.get<Software>(`/maintenance/sites/${encodeURIComponent(siteOrgId ?? '')}/software`, undefined, { signal }), [siteOrgId], { enabled: !!siteOrgId });
  const firstSite = sites.data?.items[0]?.orgId;

  useEffect(() => {
    if (!siteOrgId && firstSite) setSiteOrgId(firstSite);
  }, [siteOrgId, firstSite]);

  const save = async () => {
    const items = Object.entries(edits)
      .map(([item, version]) => ({ item, version: version.trim() }))
      .filter((e) => e.version !== '');
    if (!siteOrgId || items.length === 0) return;
    setBusy(true);
    try {
      await api.put(`/maintenance/sites/${encodeURIComponent(siteOrgId)}/software`, { items });
      showSuccess(t('maint.action.done'));
      setEdits({});
      software.reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const columns: TableColumnsType<Software['items'][number]> = [
    { title: t('maint.software.item'), dataIndex: 'item', key: 'item', render: (v: string) => label(`maint.software.${v}`) },
    {
      title: t('maint.software.version'),
      dataIndex: 'version',
      key: 'version',
      width: 200,
      render: (v: string | null, row) =>
        canManage ? (
          <Input size="small" value={edits[row.item] ?? v ?? ''} maxLength={50} onChange={(e) => setEdits((x) => ({ ...x, [row.item]: e.target.value }))} data-testid={`software-${row.item}`} />
        ) : (
          (v ?? '—')
        ),
    },
  ];

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="software-panel">
      <Space wrap>
        <Select
          value={siteOrgId}
          style={{ minWidth: 220 }}
          loading={sites.loading}
          options={(sites.data?.items ?? []).map((s) => ({ value: s.orgId, label: s.name }))}
          onChange={(v: string) => {
            setSiteOrgId(v);
            setEdits({});
          }}
          showSearch
          optionFilterProp="label"
          data-testid="software-site"
        />
        {canManage && (
          <Button type="primary" icon={<SaveOutlined />} loading={busy} disabled={Object.keys(edits).length === 0} onClick={save} data-testid="software-save">
            {t('common.save')}
          </Button>
        )}
      </Space>
      {siteOrgId ? (
        <Table rowKey="item" size="small" pagination={false} loading={software.loading} columns={columns} dataSource={software.data?.items ?? []} />
      ) : (
        <Empty />
      )}
      {(software.data?.changes.length ?? 0) > 0 && (
        <>
          <Typography.Title level={5}>{t('maint.asset.history')}</Typography.Title>
          <ul data-testid="software-changes">
            {software.data!.changes.map((c) => (
              <li key={`${c.item}-${c.at}`}>
                {formatDateTime(c.at)} · {c.actorName} · {label(`maint.software.${c.item}`)}: {c.fromVersion ?? '—'} → {c.toVersion}
              </li>
            ))}
          </ul>
        </>
      )}
    </Space>
  );
}
