import { describe, expect, it } from 'vitest';
import { allowListProblems, evaluateAudit, type AllowEntry } from '../../scripts/audit-lib.mjs';

// The shape of `npm audit --json` (report version 2), cut down to what the decision reads.
const report = {
  auditReportVersion: 2,
  vulnerabilities: {
    'fast-xml': {
      name: 'fast-xml',
      severity: 'high',
      via: [{ source: 1101, name: 'fast-xml', title: 'ReDoS in attribute parsing', url: 'https://github.com/advisories/GHSA-aaaa', severity: 'high' }],
    },
    'pdf-thing': { name: 'pdf-thing', severity: 'high', via: ['fast-xml'] },
    tarball: {
      name: 'tarball',
      severity: 'critical',
      via: [{ source: 2202, name: 'tarball', title: 'Path traversal on extract', url: 'https://github.com/advisories/GHSA-bbbb', severity: 'critical' }],
    },
    colours: { name: 'colours', severity: 'moderate', via: [{ source: 3303, name: 'colours', title: 'Prototype pollution', url: '', severity: 'moderate' }] },
  },
  metadata: { vulnerabilities: { moderate: 1, high: 2, critical: 1, total: 4 } },
};

const entry = (id: number, pkg: string): AllowEntry => ({ id, package: pkg, reason: 'only reached with our own trusted input', reviewed: '2026-12-01' });

describe('dependency audit decision', () => {
  it('blocks every high or critical advisory not on the allow-list; moderate ones do not block', () => {
    const result = evaluateAudit(report, []);
    expect(result.kind).toBe('report');
    if (result.kind !== 'report') return;
    expect(result.blocking.map((a) => a.id).sort()).toEqual(['1101', '2202']);
    expect(result.total).toBe(3);
  });

  it('an allowed advisory does not block, and is matched by id and package', () => {
    const result = evaluateAudit(report, [entry(1101, 'fast-xml'), entry(2202, 'other-package')]);
    if (result.kind !== 'report') throw new Error('expected a report');
    expect(result.accepted.map((a) => a.id)).toEqual(['1101']);
    expect(result.blocking.map((a) => a.id)).toEqual(['2202']);
    expect(result.stale).toEqual([entry(2202, 'other-package')]);
  });

  it('a clean report passes and lists allow-list entries that no longer apply', () => {
    const result = evaluateAudit({ auditReportVersion: 2, vulnerabilities: {} }, [entry(1101, 'fast-xml')]);
    expect(result).toMatchObject({ kind: 'report', blocking: [], total: 0, stale: [entry(1101, 'fast-xml')] });
  });

  it('a registry error is never read as a clean audit', () => {
    const result = evaluateAudit({ message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', statusCode: 405 }, []);
    expect(result).toEqual({ kind: 'error', status: 405, message: expect.stringContaining('405') });
    expect(evaluateAudit(null, [])).toMatchObject({ kind: 'error' });
  });

  it('checks the allow-list entries themselves', () => {
    expect(allowListProblems([entry(1, 'a')])).toEqual([]);
    expect(allowListProblems({})).toEqual(['the allow-list must be a JSON array']);
    expect(allowListProblems([{ id: 1, package: 'a', reason: 'ok', reviewed: 'yesterday' }])).toEqual(['entry 0: reason missing or too short', 'entry 0: reviewed must be a YYYY-MM-DD date']);
  });
});
