import pino, { type Logger, type LoggerOptions } from 'pino';
import { redactSensitiveText } from '../crypto/masking.ts';

interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
  host?: string;
  headers?: Record<string, unknown>;
  socket?: { remotePort?: number };
}

/**
 * Percent-escapes hide an ID or phone from the text redaction ("号" is %E5%8F%B7, so the ID after it
 * seems to continue a digit run; "138%201234%205678" has no separator it knows), so URLs are logged
 * decoded. Never throws: bytes that are not UTF-8 become U+FFFD.
 */
export function decodeUrlForLog(url: string): string {
  const q = url.indexOf('?');
  const plus = q < 0 ? url : url.slice(0, q) + url.slice(q).replaceAll('+', ' ');
  return plus.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => Buffer.from(run.replaceAll('%', ''), 'hex').toString('utf8'));
}

/** Fastify's own request serializer, with the URL decoded. */
function serializeRequest(req: LoggedRequest) {
  return {
    method: req.method,
    url: typeof req.url === 'string' ? decodeUrlForLog(req.url) : req.url,
    version: req.headers?.['accept-version'],
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/**
 * Every log line passes through `redactSensitiveText` on its way out, so an ID number or phone that
 * slipped into a message, an error or a query string is masked whatever code logged it. Known
 * secret-bearing fields are removed outright by pino's path redaction.
 */
export function createLogger(level: LoggerOptions['level'], sink: { write(line: string): void } = process.stdout): Logger {
  return pino(
    {
      level,
      base: { app: 'cardflow' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { req: serializeRequest },
      redact: {
        paths: [
          'req.headers.cookie',
          'req.headers.authorization',
          'req.headers["x-api-key"]',
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
          // '*.x' matches one level down only, so top-level fields are listed too.
          'password',
          'secret',
          'phone',
          'citizenId',
          '*.password',
          '*.secret',
          '*.phone',
          '*.citizenId',
        ],
        censor: '[redacted]',
      },
    },
    { write: (line: string) => sink.write(redactSensitiveText(line)) },
  );
}
