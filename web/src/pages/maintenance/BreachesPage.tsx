import { Alert, Card, Col, Empty, Progress, Row, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import { api } from '../../api/client.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';
import { duration, useLabel } from './shared.tsx';

interface ContractStanding {
  id: string;
  name: string;
  maintainerName: string;
  termStart: string;
  termEnd: string;
  breaches: number;
  terminationThreshold: number | null;
  standing: 'OK' | 'APPROACHING' | 'REACHED';
}
interface TerminationAlert {
  contractId: string;
  level: 'APPROACHING' | 'REACHED';
  raisedAtLocal: string;
}
interface Breach {
  id: string;
  contractName: string;
  ticketId: string | null;
  ticketNo: string | null;
  siteName: string | null;
  kind: string;
  occurredAtLocal: string;
  allowedMinutes: number;
  usedMinutes: number;
}

/** 违约登记: breaches per contract term against the count that lets the client terminate, then each breach. */
export default function BreachesPage() {
  const t = useT();
  const label = useLabel();
  const { data, loading } = useLoad((signal) => api.get<{ contracts: ContractStanding[]; items: Breach[]; total: number; alerts: TerminationAlert[] }>('/maintenance/breaches', { limit: 200 }, { signal }), []);

  const columns: TableColumnsType<Breach> = [
    { title: t('maint.breach.occurredAt'), dataIndex: 'occurredAtLocal', key: 'at', width: 150 },
    { title: t('maint.breach.kind'), dataIndex: 'kind', key: 'kind', width: 110, render: (v: string) => <Tag color="red">{label(`maint.breach.kind.${v}`)}</Tag> },
    { title: t('maint.breach.ticket'), key: 'ticket', width: 150, render: (_: unknown, b) => (b.ticketId ? <Link to={`/maintenance/tickets/${b.ticketId}`}>{b.ticketNo}</Link> : '') },
    { title: t('maint.ticket.site'), dataIndex: 'siteName', key: 'site', width: 160 },
    { title: t('maint.breach.allowed'), key: 'allowed', width: 110, render: (_: unknown, b) => duration(t, b.allowedMinutes) },
    { title: t('maint.breach.used'), key: 'used', width: 110, render: (_: unknown, b) => duration(t, b.usedMinutes) },
    { title: t('maint.breach.contract'), dataIndex: 'contractName', key: 'contract', width: 200 },
  ];

  return (
    <div data-testid="page-maint-breaches">
      <PageHeader title={t('maint.menu.breaches')} />
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        {(data?.contracts ?? []).map((c) => (
          <Col key={c.id} xs={24} md={12} xl={8}>
            <Card size="small" title={c.name} data-testid={`breach-contract-${c.id}`} data-standing={c.standing}>
              <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                <Typography.Text type="secondary">
                  {c.maintainerName} · {t('maint.breach.term', { from: c.termStart, to: c.termEnd })}
                </Typography.Text>
                <Typography.Text strong>{t('maint.breach.count', { count: c.breaches })}</Typography.Text>
                {c.terminationThreshold !== null && (
                  <>
                    <Progress
                      percent={Math.min(100, Math.round((c.breaches * 100) / c.terminationThreshold))}
                      status={c.standing === 'OK' ? 'normal' : 'exception'}
                      format={() => `${c.breaches}/${c.terminationThreshold}`}
                    />
                    <Typography.Text type="secondary">{t('maint.breach.threshold', { threshold: c.terminationThreshold })}</Typography.Text>
                  </>
                )}
                {c.standing === 'APPROACHING' && <Alert type="warning" showIcon title={t('maint.breach.approaching', { count: c.breaches, threshold: c.terminationThreshold ?? 0 })} />}
                {c.standing === 'REACHED' && <Alert type="error" showIcon title={t('maint.breach.reached', { count: c.breaches, threshold: c.terminationThreshold ?? 0 })} />}
                {data?.alerts
                  .filter((a) => a.contractId === c.id)
                  .map((a) => (
                    <Typography.Text key={a.level} type="secondary" style={{ fontSize: 12 }} data-testid={`breach-alert-${a.level}`}>
                      {t(a.level === 'REACHED' ? 'maint.breach.alertRaised.REACHED' : 'maint.breach.alertRaised.APPROACHING', { at: a.raisedAtLocal })}
                    </Typography.Text>
                  ))}
              </Space>
            </Card>
          </Col>
        ))}
      </Row>
      <Table<Breach>
        rowKey="id"
        size="small"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 990 }}
        locale={{ emptyText: <Empty description={t('maint.breach.empty')} /> }}
        data-testid="breach-table"
        pagination={false}
      />
    </div>
  );
}
