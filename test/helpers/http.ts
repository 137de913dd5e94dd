import { count, eq } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { auditLog } from '../../src/platform/audit/schema.ts';
import type { AppContext } from '../../src/platform/context.ts';

export interface ErrorInfo {
  code: string;
  message: string;
  details: unknown;
}

/** "at fn (/path/file.ts:1:2)" or "at /path/file.js:1:2": what a leaked stack trace looks like. */
const STACK_FRAME = /\bat [^"\n]*?\/[\w./@-]+\.[cm]?[jt]sx?:\d+/;

/** Asserts the one documented error shape, the status and the code; returns the error object. */
export function expectError(res: LightMyRequestResponse, status: number, code: string): ErrorInfo {
  expect({ status: res.statusCode, body: res.body }).toMatchObject({ status });
  expect(res.body).not.toMatch(STACK_FRAME);
  const body = res.json() as Record<string, unknown>;
  expect(Object.keys(body)).toEqual(['error']);
  const error = body.error as ErrorInfo;
  expect(Object.keys(error).sort()).toEqual(['code', 'details', 'message']);
  expect(error.code).toBe(code);
  expect(typeof error.message).toBe('string');
  expect(error.message.length).toBeGreaterThan(0);
  return error;
}

export function expectNoStackTrace(body: string): void {
  expect(body).not.toMatch(STACK_FRAME);
}

export async function countRows(ctx: AppContext, table: PgTable): Promise<number> {
  const [row] = await ctx.db.orm.select({ n: count() }).from(table);
  return row?.n ?? 0;
}

/** The audit entry the hook wrote for one request (the x-request-id header of its answer). */
export async function auditEntryFor(ctx: AppContext, res: LightMyRequestResponse) {
  const requestId = res.headers['x-request-id'];
  expect(typeof requestId).toBe('string');
  const rows = await ctx.db.orm.select().from(auditLog).where(eq(auditLog.requestId, String(requestId)));
  expect(rows).toHaveLength(1);
  return rows[0]!;
}
