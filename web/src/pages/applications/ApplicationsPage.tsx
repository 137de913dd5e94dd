import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Button, Card, Form, Select, Space, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { EyeOutlined, ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import { fetchOrgsQuiet, fetchProgrammes } from '../../api/resources.ts';
import { APPLICATION_STATUSES, type Application, type PagedResponse } from '../../api/types.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { PERM } from '../../nav.tsx';
import { useNames, useT } from '../../i18n/index.tsx';
import { ApplicationDrawer, KindLabel, StatusTag, submittedAt } from './shared.tsx';
import { KindFilterItem, OutletFilterItem, ProgrammeFilterItem } from './filters.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

interface Filters {
  programmeId?: string;
  status?: string;
  outletId?: string;
  kind?: string;
}

const FILTER_KEYS = ['programmeId', 'status', 'outletId', 'kind'] as const;

export default function ApplicationsPage() {
  const t = useT();
  const names = useNames();
  const [params, setParams] = useSearchParams();
  const filters: Filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? undefined]));
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = Math.min(100, Math.max(1, Number(params.get('pageSize')) || 20));
  const [form] = Form.useForm<Filters>();
  const [viewing, setViewing] = useState<string | null>(null);

  const { data: programmes = [] } = useLoad((signal) => fetchProgrammes(signal), []);
  const { can } = useAuth();
  const { data: orgs = [] } = useLoad((signal) => fetchOrgsQuiet(signal), [], { enabled: can(PERM.orgRead) });
  const programmeNames = useMemo(() => new Map(programmes.map((p) => [p.id, p.name])), [programmes]);
  const query = params.toString();
  const { data, loading, reload } = useLoad(
    (signal) => api.get<PagedResponse<Application>>('/applications', { ...filters, limit: pageSize, offset: (page - 1) * pageSize }, { signal }),
    [query],
  );

  const update = (next: Filters & { page?: number; pageSize?: number }) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
    setParams(p, { replace: true });
  };

  const columns: TableColumnsType<Application> = [
    {
      title: t('app.number'),
      dataIndex: 'applicationNo',
      key: 'number',
      width: 190,
      render: (v: string, a) => (
        <Button type="link" size="small" style={{ padding: 0 }} className="cf-mono" onClick={() => setViewing(a.id)} data-testid={`app-row-number-${a.id}`}>
          {v}
        </Button>
      ),
    },
    { title: t('app.programme'), key: 'programme', render: (_, a) => a.programmeName || programmeNames.get(a.programmeId) || a.programmeId },
    { title: t('app.kind'), dataIndex: 'kind', key: 'kind', width: 90, render: (k: string) => <KindLabel kind={k} /> },
    { title: t('app.applicantName'), dataIndex: 'nameMasked', key: 'name', width: 100 },
    { title: t('app.citizenId'), dataIndex: 'citizenIdMasked', key: 'citizenId', width: 190, render: (v: string) => <span className="cf-mono">{v}</span> },
    { title: t('app.outlet'), dataIndex: 'outletName', key: 'outlet' },
    { title: t('app.status'), dataIndex: 'status', key: 'status', width: 110, render: (s: string) => <StatusTag status={s} /> },
    { title: t('app.submittedAt'), key: 'submittedAt', width: 170, render: (_, a) => <span className="cf-nowrap">{submittedAt(a)}</span> },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 90,
      render: (_, a) => (
        <Button type="link" size="small" icon={<EyeOutlined />} onClick={() => setViewing(a.id)} data-testid={`app-row-view-${a.id}`}>
          {t('app.view')}
        </Button>
      ),
    },
  ];

  return (
    <div data-testid="page-applications">
      <PageHeader title={t('menu.applications')}>
        <Button icon={<ReloadOutlined />} onClick={reload} data-testid="apps-reload">
          {t('common.refresh')}
        </Button>
      </PageHeader>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form<Filters>
          form={form}
          layout="inline"
          name="apps-filter"
          initialValues={filters}
          onFinish={(v) => update({ ...v, page: 1, pageSize })}
          style={{ rowGap: 8 }}
        >
          <ProgrammeFilterItem testPrefix="apps-filter" label={t('apps.filterProgramme')} programmes={programmes} />
          <KindFilterItem testPrefix="apps-filter" label={t('apps.filterKind')} />
          <Form.Item name="status" label={t('apps.filterStatus')}>
            <Select allowClear style={{ width: 130 }} data-testid="apps-filter-status" options={APPLICATION_STATUSES.map((s) => ({ value: s, label: names.code('appStatus', s) }))} />
          </Form.Item>
          <OutletFilterItem testPrefix="apps-filter" label={t('apps.filterOutlet')} orgs={orgs} />
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" data-testid="apps-search">
                {t('common.search')}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  form.setFieldsValue({ programmeId: undefined, kind: undefined, status: undefined, outletId: undefined });
                  update({ page: 1, pageSize });
                }}
                data-testid="apps-reset"
              >
                {t('common.reset')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      <Table<Application>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 1200 }}
        data-testid="apps-table"
        onRow={(a) => ({ 'data-testid': `app-row-${a.id}` }) as React.HTMLAttributes<HTMLElement>}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100],
          showTotal: (total) => t('common.total', { total }),
          onChange: (p, ps) => update({ ...filters, page: ps !== pageSize ? 1 : p, pageSize: ps }),
        }}
      />
      <ApplicationDrawer id={viewing} onClose={() => setViewing(null)} programmes={programmes} />
    </div>
  );
}
