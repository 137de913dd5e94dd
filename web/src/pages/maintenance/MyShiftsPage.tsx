import { useState } from 'react';
import { Button, Card, Empty, Space, Tag, Typography } from 'antd';
import { LoginOutlined, LogoutOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import { useFeedback } from '../../components/feedback.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { useLabel } from './shared.tsx';
import { SHIFT_COLORS, type Shift } from './StaffPage.tsx';

/** Mirrors CHECK_IN_EARLY_MINUTES on the server: check-in opens an hour before the shift. */
const CHECK_IN_EARLY_MS = 60 * 60_000;

/** 我的班次: the on-site engineer's shifts, checked in and out on the phone; the server's clock is the time recorded. */
export default function MyShiftsPage() {
  const t = useT();
  const label = useLabel();
  const { showError, showSuccess } = useFeedback();
  const [busy, setBusy] = useState<string | null>(null);
  const { data, loading, reload } = useLoad((signal) => api.get<{ items: (Shift & { siteName: string })[] }>('/maintenance/shifts/mine', undefined, { signal }), []);

  const record = async (id: string, path: 'check-in' | 'check-out') => {
    setBusy(`${id}:${path}`);
    try {
      await api.post(`/maintenance/shifts/${id}/${path}`);
      showSuccess(t('maint.shift.done'));
      reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div data-testid="page-maint-shifts">
      <PageHeader title={t('maint.shift.title')} />
      {!loading && (data?.items.length ?? 0) === 0 && <Empty description={t('maint.shift.none')} />}
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {data?.items.map((s) => (
          <Card key={s.id} size="small" data-testid={`shift-${s.id}`} data-state={s.state}>
            <Space orientation="vertical" size={6} style={{ width: '100%' }}>
              <Space wrap size={6} style={{ justifyContent: 'space-between', width: '100%' }}>
                <Typography.Text strong>{s.postName}</Typography.Text>
                <Tag color={SHIFT_COLORS[s.state]}>{label(`maint.shift.state.${s.state}`)}</Tag>
              </Space>
              <Typography.Text type="secondary">{s.siteName}</Typography.Text>
              <Typography.Text>{`${s.startsAtLocal} – ${s.endsAtLocal}`}</Typography.Text>
              <Space wrap size={6}>
                {s.checkInAtLocal && <Tag>{t('maint.shift.checkedIn', { at: s.checkInAtLocal.slice(11) })}</Tag>}
                {s.checkOutAtLocal && <Tag>{t('maint.shift.checkedOut', { at: s.checkOutAtLocal.slice(11) })}</Tag>}
                {s.late && <Tag color="orange">{t('maint.shift.late', { minutes: s.lateMinutes })}</Tag>}
              </Space>
              {(s.state === 'NOT_ARRIVED' || (s.state === 'UPCOMING' && Date.parse(s.startsAt) - Date.now() <= CHECK_IN_EARLY_MS)) && (
                <Button type="primary" block size="large" icon={<LoginOutlined />} loading={busy === `${s.id}:check-in`} onClick={() => void record(s.id, 'check-in')} data-testid="shift-check-in">
                  {t('maint.shift.checkIn')}
                </Button>
              )}
              {s.state === 'ON_DUTY' && !s.checkOutAtLocal && (
                <Button block size="large" icon={<LogoutOutlined />} loading={busy === `${s.id}:check-out`} onClick={() => void record(s.id, 'check-out')} data-testid="shift-check-out">
                  {t('maint.shift.checkOut')}
                </Button>
              )}
            </Space>
          </Card>
        ))}
      </Space>
    </div>
  );
}
