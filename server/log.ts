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
  // Device keys (docs/behaviour.md §2.6): as the network layer (NsDevice, NsSession) and the API
  // (`root_keys`, `session.keys`) name them, should a device or a session ever be logged.
  'appKey',
  'nwkSKey',
  'appSKey',
  '*.appKey',
  '*.nwkSKey',
  '*.appSKey',
  '*.*.nwkSKey',
  '*.*.appSKey',
  'root_keys',
  '*.root_keys',
  'session.keys',
  '*.session.keys',
];

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } });
}

/** For tests and tools: a logger that writes nothing. */
export const silentLogger: Logger = pino({ level: 'silent' });
