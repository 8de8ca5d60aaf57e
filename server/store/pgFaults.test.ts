import { describe, expect, it } from 'vitest';
import { pgStorageFault } from './pgFaults';

/** What the pg driver throws, as it throws it: server errors carry SQLSTATE and severity. */
const serverError = (code: string) => Object.assign(new Error('server said no'), { code, severity: 'FATAL' });
const socketError = (code: string) => Object.assign(new Error(`connect ${code}`), { code, errno: -111 });

describe('PostgreSQL storage faults', () => {
  it.each([
    ['admin shutdown (server stopping)', serverError('57P01'), 'storage_unavailable'],
    ['cannot connect now (starting up)', serverError('57P03'), 'storage_unavailable'],
    ['connection failure', serverError('08006'), 'storage_unavailable'],
    ['I/O error', serverError('58030'), 'storage_unavailable'],
    ['disk full', serverError('53100'), 'storage_full'],
    ['out of memory', serverError('53200'), 'storage_full'],
    ['connection refused', socketError('ECONNREFUSED'), 'storage_unavailable'],
    ['connection reset', socketError('ECONNRESET'), 'storage_unavailable'],
    ['connection lost (pg, no code)', new Error('Connection terminated unexpectedly'), 'storage_unavailable'],
  ])('%s → %s', (_what, e, name) => {
    expect(pgStorageFault(e)?.name).toBe(name);
  });

  it.each([
    ['unique violation', serverError('23505')],
    ['syntax error', serverError('42601')],
    ['a programming error', new TypeError('x is not a function')],
    [
      'a server error without SQLSTATE class of its own',
      Object.assign(new Error('x'), { severity: 'ERROR' }),
    ],
    ['not an error', 'text'],
  ])('leaves %s as it is', (_what, e) => {
    expect(pgStorageFault(e)).toBeUndefined();
  });
});
