/** Which engine the suite runs on: `npm test` = embedded PGlite, `npm run test:pg` = PostgreSQL. */
export function testEngine(): 'pglite' | 'postgres' {
  return process.env.CARDFLOW_TEST_ENGINE === 'postgres' ? 'postgres' : 'pglite';
}

export function adminDatabaseUrl(): string {
  return process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

export function databaseUrlFor(base: string, dbName: string): string {
  const url = new URL(base);
  url.pathname = `/${dbName}`;
  return url.toString();
}
