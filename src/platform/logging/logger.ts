import pino, { type Logger, type LoggerOptions } from 'pino';
import { redactSensitiveText } from '../crypto/masking.ts';

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
      redact: {
        paths: [
          'req.headers.cookie',
          'req.headers.authorization',
          'req.headers["x-api-key"]',
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
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
