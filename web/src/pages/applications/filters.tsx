import { Form, Select } from 'antd';
import { APPLICATION_KINDS, type Org, type Programme } from '../../api/types.ts';
import { useNames } from '../../i18n/index.tsx';

/** Filter fields the application list and the review queue share; `testPrefix` keeps their test ids apart. */
export function ProgrammeFilterItem({ testPrefix, label, programmes }: { testPrefix: string; label: string; programmes: Programme[] }) {
  return (
    <Form.Item name="programmeId" label={label}>
      <Select allowClear style={{ width: 200 }} data-testid={`${testPrefix}-programme`} options={programmes.map((p) => ({ value: p.id, label: p.name }))} />
    </Form.Item>
  );
}

export function KindFilterItem({ testPrefix, label }: { testPrefix: string; label: string }) {
  const names = useNames();
  return (
    <Form.Item name="kind" label={label}>
      <Select allowClear style={{ width: 120 }} data-testid={`${testPrefix}-kind`} options={APPLICATION_KINDS.map((k) => ({ value: k, label: names.code('appKind', k) }))} />
    </Form.Item>
  );
}

/** Only for people who oversee outlets (an outlet clerk sees their own outlet anyway). */
export function OutletFilterItem({ testPrefix, label, orgs }: { testPrefix: string; label: string; orgs: Org[] }) {
  const outlets = orgs.filter((o) => o.kind === 'OUTLET');
  if (outlets.length === 0) return null;
  return (
    <Form.Item name="outletId" label={label}>
      <Select
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        style={{ width: 200 }}
        data-testid={`${testPrefix}-outlet`}
        options={outlets.map((o) => ({ value: o.id, label: o.name }))}
      />
    </Form.Item>
  );
}
