import pino from 'pino';

export type Logger = pino.Logger;

/** Secrets never reach the log: these paths are censored wherever they appear. */
const REDACT = [
  'password',
  'key',
  'secret',
  'token',
  'authorization',
  'cookie',
  '*.password',
  '*.key',
  '*.token',
];

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } });
}

/** For tests and tools: a logger that writes nothing. */
export const silentLogger: Logger = pino({ level: 'silent' });
