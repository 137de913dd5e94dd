import { useMemo } from 'react';
import { TreeSelect } from 'antd';
import type { Org } from '../api/types.ts';
import { buildOrgForest, toTreeSelectData } from '../lib/orgTree.ts';
import { useNames } from '../i18n/index.tsx';

interface Props {
  orgs: Org[];
  value?: string | null;
  onChange?: (value: string | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  testId?: string;
  disabled?: boolean;
  style?: React.CSSProperties;
  id?: string;
}

/** Organisation picker showing the tree; the search matches names. */
export function OrgTreeSelect({ orgs, value, onChange, placeholder, allowClear, testId, disabled, style, id }: Props) {
  const names = useNames();
  const treeData = useMemo(() => toTreeSelectData(buildOrgForest(orgs), (o) => `${o.name}（${names.orgKind(o.kind)}）`), [orgs, names]);
  return (
    <TreeSelect
      id={id}
      data-testid={testId}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v)}
      treeData={treeData}
      placeholder={placeholder}
      allowClear={allowClear}
      disabled={disabled}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandAll
      style={{ width: '100%', ...style }}
      popupMatchSelectWidth={false}
    />
  );
}
