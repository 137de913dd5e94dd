import { Tag } from 'antd';
import { useNames } from '../i18n/index.tsx';

const COLORS: Record<string, string> = {
  ADMIN: 'red',
  AUTHORITY_MANAGER: 'volcano',
  AUTHORITY_REVIEWER: 'orange',
  AUDITOR: 'magenta',
  OUTLET_MANAGER: 'blue',
  OUTLET_CLERK: 'geekblue',
  PRODUCER_OPERATOR: 'purple',
  BANK_OPERATOR: 'gold',
  MAINTAINER_ENGINEER: 'cyan',
  SMS_OPERATOR: 'green',
};

export function RoleTags({ roles }: { roles: string[] }) {
  const names = useNames();
  return (
    <>
      {roles.map((r) => (
        <Tag key={r} color={COLORS[r] ?? 'default'} data-role={r} style={{ marginBlock: 2 }}>
          {names.role(r)}
        </Tag>
      ))}
    </>
  );
}
