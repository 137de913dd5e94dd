import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Descriptions, Form, Input, Timeline, Typography } from 'antd';
import { FileSearchOutlined, IdcardOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../api/client.ts';
import { useLocale, useNames, useT } from '../../i18n/index.tsx';
import { PublicShell } from '../../components/PublicShell.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { StatusTag } from '../applications/shared.tsx';

interface TrackForm {
  applicationNo: string;
  idLast6: string;
}

interface TrackResult {
  applicationNo: string;
  programmeName: string;
  cardKind: string;
  kind: string;
  status: string;
  nameMasked: string;
  timeline: { type: string; at: string; reasons?: { code: string; zh: string; en: string }[] }[];
}

/** Public page: a holder looks up their own application with its number and the last 6 characters of the ID. */
export default function TrackPage() {
  const t = useT();
  const names = useNames();
  const [locale] = useLocale();
  const [form] = Form.useForm<TrackForm>();
  const [submitting, setSubmitting] = useState(false);
  const [result, setResult] = useState<TrackResult | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);

  const onFinish = async (values: TrackForm) => {
    setSubmitting(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api.post<TrackResult>('/public/track', { applicationNo: values.applicationNo.trim(), idLast6: values.idLast6.trim() }, { noSessionRedirect: true }));
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError('UNKNOWN', String(err), 0);
      setError({ code: e.code, message: e.message });
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <PublicShell
      title={t('track.title')}
      subtitle={t('track.hint')}
      cardClassName="cf-track-card"
      error={error && { ...error, testId: 'track-error', warning: error.code === 'RATE_LIMITED' }}
    >
      <Form<TrackForm> form={form} layout="vertical" size="large" onFinish={onFinish} requiredMark={false} autoComplete="off">
        <Form.Item name="applicationNo" label={t('track.number')} rules={[{ required: true, whitespace: true, message: t('track.numberRequired') }]}>
          <Input prefix={<FileSearchOutlined />} autoFocus data-testid="track-number" placeholder="RP-20260101-000001" maxLength={40} />
        </Form.Item>
        <Form.Item
          name="idLast6"
          label={t('track.id6')}
          rules={[
            { required: true, message: t('track.id6Required') },
            { pattern: /^\s*[0-9]{5}[0-9Xx]\s*$/, message: t('track.id6Invalid') },
          ]}
        >
          <Input prefix={<IdcardOutlined />} data-testid="track-id6" placeholder={t('track.id6Placeholder')} maxLength={8} />
        </Form.Item>
        <Form.Item style={{ marginBottom: 8 }}>
          <Button type="primary" htmlType="submit" block loading={submitting} data-testid="track-submit">
            {t('track.submit')}
          </Button>
        </Form.Item>
      </Form>
      {result && (
        <div data-testid="track-result" data-status={result.status} style={{ marginTop: 16 }}>
          <Descriptions column={1} size="small" bordered style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('app.number')}>{result.applicationNo}</Descriptions.Item>
            <Descriptions.Item label={t('app.applicantName')}>{result.nameMasked}</Descriptions.Item>
            <Descriptions.Item label={t('app.programme')}>
              {result.programmeName} · {names.code('programmeKind', result.cardKind)} · {names.code('appKind', result.kind)}
            </Descriptions.Item>
            <Descriptions.Item label={t('app.status')}>
              <StatusTag status={result.status} />
            </Descriptions.Item>
          </Descriptions>
          <Timeline
            items={result.timeline.map((e, i) => ({
              key: `${i}-${e.type}`,
              color: e.type === 'REJECTED' ? 'red' : e.type === 'APPROVED' ? 'green' : 'blue',
              content: (
                <div data-event-type={e.type}>
                  <Typography.Text strong>{names.code('appEvent', e.type)}</Typography.Text>
                  <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
                    {formatDateTime(e.at)}
                  </Typography.Text>
                  {e.reasons && e.reasons.length > 0 && (
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('app.rejectionReasons')}：{e.reasons.map((r) => (locale === 'zh-CN' ? r.zh : r.en)).join('；')}
                      </Typography.Text>
                    </div>
                  )}
                </div>
              ),
            }))}
          />
        </div>
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0, textAlign: 'center' }}>
        <Link to="/login">{t('track.backToLogin')}</Link>
      </Typography.Paragraph>
    </PublicShell>
  );
}
