export interface Advisory {
  id: string;
  package: string;
  severity: string;
  title: string;
  url: string;
}
export interface AllowEntry {
  id: string | number;
  package: string;
  reason: string;
  reviewed: string;
}
export type AuditResult =
  | { kind: 'error'; status: number | string | null; message: string }
  | { kind: 'report'; blocking: Advisory[]; accepted: Advisory[]; stale: AllowEntry[]; total: number };
export function advisoriesOf(report: unknown): Advisory[];
export function allowListProblems(list: unknown): string[];
export function evaluateAudit(report: unknown, allowList: AllowEntry[]): AuditResult;
