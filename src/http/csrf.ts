/**
 * Whether a state-changing request was made by another site: its Origin names a different host than
 * the one it was sent to, or the browser says so (Sec-Fetch-Site: cross-site). The synchroniser token
 * is the main defence; this one also holds if a token ever leaks into another site's page.
 * Requests without either header (scripts, older browsers) are left to the token check.
 */
export function crossSiteRequest(headers: { origin?: string | undefined; 'sec-fetch-site'?: string | string[] | undefined }, host: string): boolean {
  if (headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = headers.origin;
  if (origin === undefined) return false;
  if (origin === 'null') return true;
  try {
    const from = new URL(origin);
    // Through the origin's scheme, so a Host with the default port (":80") compares equal to an Origin without it.
    return from.host !== new URL(`${from.protocol}//${host}`).host;
  } catch {
    return true;
  }
}
