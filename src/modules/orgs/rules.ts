import type { OrgKind } from './schema.ts';

/**
 * Which kind of organisation may sit under which. A city authority holds district offices, outlets
 * and its suppliers; a bank holds its branches; nothing sits under an outlet.
 */
const ALLOWED_PARENTS: Record<OrgKind, readonly OrgKind[]> = {
  AUTHORITY: ['AUTHORITY'],
  OUTLET: ['AUTHORITY'],
  PRODUCER: ['AUTHORITY'],
  BANK: ['AUTHORITY', 'BANK'],
  MAINTAINER: ['AUTHORITY'],
  SMS_PROVIDER: ['AUTHORITY'],
};

export function parentAllowed(child: OrgKind, parent: OrgKind): boolean {
  return ALLOWED_PARENTS[child].includes(parent);
}

export function regionRequired(kind: OrgKind): boolean {
  return kind === 'OUTLET' || kind === 'PRODUCER';
}

export function childPath(parentPath: string, id: string): string {
  return `${parentPath}${id}/`;
}
