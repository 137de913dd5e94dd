/**
 * The decision of the dependency audit, as plain functions over `npm audit --json` output, so the
 * allow-list logic is tested with fixtures (test/setup/audit.test.ts) and scripts/audit.mjs only runs npm.
 */

const BLOCKING = new Set(['high', 'critical']);

/** Advisories (not packages) in an npm audit v2 report: each `via` entry that is an object is one. */
export function advisoriesOf(report) {
  const out = new Map();
  for (const [pkg, vuln] of Object.entries(report.vulnerabilities ?? {})) {
    for (const via of vuln.via ?? []) {
      if (typeof via !== 'object' || via === null) continue;
      const id = String(via.source ?? via.url ?? `${pkg}:${via.title}`);
      if (!out.has(id)) out.set(id, { id, package: via.name ?? pkg, severity: via.severity ?? vuln.severity, title: via.title ?? '', url: via.url ?? '' });
    }
  }
  return [...out.values()];
}

/** Problems with the allow-list file itself: every entry needs id, package, reason and a reviewed date. */
export function allowListProblems(list) {
  if (!Array.isArray(list)) return ['the allow-list must be a JSON array'];
  const problems = [];
  list.forEach((e, i) => {
    if (typeof e !== 'object' || e === null) return problems.push(`entry ${i}: not an object`);
    if (typeof e.id !== 'string' && typeof e.id !== 'number') problems.push(`entry ${i}: id (the advisory id) missing`);
    if (typeof e.package !== 'string' || e.package === '') problems.push(`entry ${i}: package missing`);
    if (typeof e.reason !== 'string' || e.reason.trim().length < 10) problems.push(`entry ${i}: reason missing or too short`);
    if (typeof e.reviewed !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(e.reviewed)) problems.push(`entry ${i}: reviewed must be a YYYY-MM-DD date`);
  });
  return problems;
}

/**
 * What the audit means: 'error' when npm did not answer with a report (an audit that did not run must
 * never read as clean), otherwise the high/critical advisories not on the allow-list (blocking), the
 * allowed ones, and allow-list entries that no longer match anything (to be removed at the next review).
 */
export function evaluateAudit(report, allowList) {
  if (!report || typeof report !== 'object' || !('vulnerabilities' in report)) {
    const status = report?.statusCode ?? report?.error?.code ?? null;
    return { kind: 'error', status, message: String(report?.message ?? 'npm audit gave no report') };
  }
  const allowed = new Map(allowList.map((e) => [`${String(e.id)}|${e.package}`, e]));
  const advisories = advisoriesOf(report);
  const blocking = [];
  const accepted = [];
  const used = new Set();
  for (const a of advisories) {
    const key = `${a.id}|${a.package}`;
    if (allowed.has(key)) {
      accepted.push(a);
      used.add(key);
    } else if (BLOCKING.has(a.severity)) {
      blocking.push(a);
    }
  }
  const stale = allowList.filter((e) => !used.has(`${String(e.id)}|${e.package}`));
  return { kind: 'report', blocking, accepted, stale, total: advisories.length };
}
