import { useState } from 'react';
import { Button, Card, DatePicker, Empty, Space, Switch, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { FormOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import dayjs from 'dayjs';
import { api } from '../../api/client.ts';
import { useFeedback } from '../../components/feedback.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { useLabel } from './shared.tsx';

interface Day {
  day: string;
  state: 'SIGNED' | 'OPEN' | 'DUE' | 'MISSING';
  roundId: string | null;
}
interface SiteDays {
  siteOrgId: string;
  siteName: string;
  contractName: string;
  mayInspect: boolean;
  missing: number;
  days: Day[];
}

const STATE_COLORS: Record<Day['state'], string> = { SIGNED: 'success', OPEN: 'processing', DUE: 'warning', MISSING: 'error' };
const DOT_COLORS: Record<Day['state'], string> = { SIGNED: '#52c41a', OPEN: '#1677ff', DUE: '#faad14', MISSING: '#ff4d4f' };

/** 日常巡检: each core-system site with every day of the period and its round; a day without one shows as missing. */
export default function InspectionsPage() {
  const t = useT();
  const label = useLabel();
  const navigate = useNavigate();
  const { showError } = useFeedback();
  // Unset, the server picks the 31 days up to today in Shanghai, whatever the browser's time zone.
  const [range, setRange] = useState<[string, string] | null>(null);
  const [onlyMissing, setOnlyMissing] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const { data, loading } = useLoad((signal) => api.get<{ from: string; to: string; sites: SiteDays[] }>('/maintenance/inspections/days', { from: range?.[0], to: range?.[1] }, { signal }), [range?.[0], range?.[1]]);
  const shown = range ?? (data ? [data.from, data.to] : null);

  const openRound = async (siteOrgId: string, day?: string) => {
    setBusy(`${siteOrgId}:${day ?? 'today'}`);
    try {
      const round = await api.post<{ id: string }>('/maintenance/inspections/rounds', { siteOrgId, day });
      navigate(`/maintenance/inspections/${round.id}`);
    } catch (err) {
      showError(err);
    } finally {
      setBusy(null);
    }
  };

  const columns = (site: SiteDays): TableColumnsType<Day> => [
    { title: t('maint.insp.day'), dataIndex: 'day', key: 'day', render: (v: string) => `${v} ${dayjs(v).format('ddd')}` },
    {
      title: t('maint.insp.state'),
      dataIndex: 'state',
      key: 'state',
      render: (v: Day['state']) => (
        <Tag color={STATE_COLORS[v]} data-state={v}>
          {label(`maint.insp.state.${v}`)}
        </Tag>
      ),
    },
    {
      key: 'action',
      align: 'right',
      render: (_: unknown, d) =>
        d.roundId ? (
          <Link to={`/maintenance/inspections/${d.roundId}`}>{t('maint.insp.view')}</Link>
        ) : (
          site.mayInspect && (
            <Button size="small" loading={busy === `${site.siteOrgId}:${d.day}`} onClick={() => openRound(site.siteOrgId, d.day)} data-testid={`insp-open-${d.day}`}>
              {d.state === 'DUE' ? t('maint.insp.start') : t('maint.insp.open')}
            </Button>
          )
        ),
    },
  ];

  return (
    <div data-testid="page-maint-inspections">
      <PageHeader title={t('maint.insp.title')} />
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Space wrap>
          <DatePicker.RangePicker
            allowClear={false}
            value={shown ? [dayjs(shown[0]), dayjs(shown[1])] : null}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')])}
            aria-label={t('maint.insp.range')}
          />
          <Space size={6}>
            <Switch size="small" checked={onlyMissing} onChange={setOnlyMissing} data-testid="insp-only-missing" />
            <span>{t('maint.insp.onlyMissing')}</span>
          </Space>
        </Space>
        {!loading && (data?.sites.length ?? 0) === 0 && <Empty description={t('maint.insp.noSites')} />}
        {data?.sites.map((site) => (
          <Card
            key={site.siteOrgId}
            size="small"
            data-testid={`insp-site-${site.siteOrgId}`}
            title={
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{site.siteName}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
                  {site.contractName}
                </Typography.Text>
              </Space>
            }
            extra={
              site.mayInspect && (
                <Button type="primary" icon={<FormOutlined />} loading={busy === `${site.siteOrgId}:today`} onClick={() => openRound(site.siteOrgId)} data-testid="insp-today">
                  {t('maint.insp.today')}
                </Button>
              )
            }
          >
            <Space orientation="vertical" size={8} style={{ width: '100%' }}>
              <Typography.Text type={site.missing > 0 ? 'danger' : 'success'} strong data-testid="insp-missing">
                {site.missing > 0 ? t('maint.insp.missingCount', { missing: site.missing }) : t('maint.insp.noneMissing')}
              </Typography.Text>
              <div style={{ display: 'flex', flexWrap: 'wrap', gap: 3 }} aria-hidden>
                {site.days.map((d) => (
                  <span key={d.day} title={`${d.day} ${label(`maint.insp.state.${d.state}`)}`} style={{ width: 14, height: 14, borderRadius: 3, background: DOT_COLORS[d.state] }} />
                ))}
              </div>
              <Table<Day>
                rowKey="day"
                size="small"
                columns={columns(site)}
                dataSource={[...site.days].reverse().filter((d) => !onlyMissing || d.state === 'MISSING')}
                pagination={{ pageSize: 10, hideOnSinglePage: true, size: 'small' }}
                data-testid="insp-days"
              />
            </Space>
          </Card>
        ))}
      </Space>
    </div>
  );
}
