import { useMemo } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Button, Card, Space, Spin } from 'antd';
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { fetchApplication, fetchProgrammes, fetchRejectionReasons } from '../../api/resources.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { ApplicationDetailView } from './shared.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

export default function ApplicationDetailPage() {
  const t = useT();
  const { id = '' } = useParams();
  const { data: app, loading, reload } = useLoad((signal) => fetchApplication(id, signal), [id]);
  const { data: programmes = [] } = useLoad((signal) => fetchProgrammes(signal).catch(() => []), []);
  const { data: catalogue = [] } = useLoad((signal) => fetchRejectionReasons(signal).catch(() => []), [], { enabled: app?.status === 'REJECTED' });
  const programme = useMemo(() => programmes.find((p) => p.id === app?.programmeId), [programmes, app]);

  return (
    <div data-testid="page-application-detail">
      <PageHeader
        title={
          <>
            {t('app.detail')} {app && <span className="cf-mono">{app.applicationNo}</span>}
          </>
        }
      >
        <Space>
          <Link to="/applications" data-testid="app-detail-back">
            <Button icon={<ArrowLeftOutlined />}>{t('app.back')}</Button>
          </Link>
          <Button icon={<ReloadOutlined />} onClick={reload} data-testid="app-detail-reload">
            {t('common.refresh')}
          </Button>
        </Space>
      </PageHeader>
      <Card>{loading && !app ? <Spin /> : app ? <ApplicationDetailView app={app} programme={programme} catalogue={catalogue} /> : null}</Card>
    </div>
  );
}
