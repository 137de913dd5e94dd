import type { Org } from '../api/types.ts';

export interface OrgNode {
  org: Org;
  children: OrgNode[];
}

/** Builds the forest from the flat, already scoped list: orgs whose parent is not visible become roots. */
export function buildOrgForest(orgs: Org[]): OrgNode[] {
  const byId = new Map<string, OrgNode>();
  for (const org of orgs) byId.set(org.id, { org, children: [] });
  const roots: OrgNode[] = [];
  for (const node of byId.values()) {
    const parent = node.org.parentId ? byId.get(node.org.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (nodes: OrgNode[]) => {
    nodes.sort((a, b) => a.org.name.localeCompare(b.org.name, 'zh-CN'));
    nodes.forEach((n) => sort(n.children));
  };
  sort(roots);
  return roots;
}

/** The id itself and the ids of every organisation below it. */
export function subtreeIds(orgs: Org[], rootId: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const o of orgs) {
    if (!o.parentId) continue;
    const list = children.get(o.parentId) ?? [];
    list.push(o.id);
    children.set(o.parentId, list);
  }
  const out = new Set<string>([rootId]);
  const stack = [rootId];
  while (stack.length) {
    const id = stack.pop()!;
    for (const c of children.get(id) ?? []) {
      if (!out.has(c)) {
        out.add(c);
        stack.push(c);
      }
    }
  }
  return out;
}

export interface OrgTreeSelectNode {
  value: string;
  title: string;
  key: string;
  children?: OrgTreeSelectNode[];
}

export function toTreeSelectData(forest: OrgNode[], label: (o: Org) => string = (o) => o.name): OrgTreeSelectNode[] {
  return forest.map((n) => ({
    value: n.org.id,
    key: n.org.id,
    title: label(n.org),
    ...(n.children.length ? { children: toTreeSelectData(n.children, label) } : {}),
  }));
}
