import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kekMismatch } from './errors';
import { loadKek } from './kekFile';
import { keyVault } from './keyVault';

const KEY = '000102030405060708090A0B0C0D0E0F';
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'mote-kek-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('keyVault', () => {
  const vault = keyVault(Buffer.alloc(32, 1));

  it('round-trips a key, and never writes it in the clear', () => {
    const sealed = vault.seal(KEY, 'app1/dev1/app_key');
    expect(sealed).not.toContain(KEY);
    expect(sealed.toUpperCase()).not.toContain(KEY);
    expect(vault.open(sealed, 'app1/dev1/app_key')).toBe(KEY);
  });

  it('seals the same key differently each time (a fresh IV)', () => {
    expect(vault.seal(KEY, 'c')).not.toBe(vault.seal(KEY, 'c'));
  });

  it('refuses another KEK, another context, and altered text with kek_mismatch', () => {
    const sealed = vault.seal(KEY, 'app1/dev1/app_key');
    const other = keyVault(Buffer.alloc(32, 2));
    for (const attempt of [
      () => other.open(sealed, 'app1/dev1/app_key'),
      () => vault.open(sealed, 'app1/dev2/app_key'),
      () => vault.open(`${sealed.slice(0, -4)}AAAA`, 'app1/dev1/app_key'),
      () => vault.open('garbage', 'app1/dev1/app_key'),
    ]) {
      let thrown: unknown;
      try {
        attempt();
      } catch (e) {
        thrown = e;
      }
      expect(kekMismatch.is(thrown)).toBe(true);
    }
  });

  it('needs a 256-bit KEK', () => {
    expect(() => keyVault(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});

describe('loadKek', () => {
  it('generates <dataDir>/kek with mode 0600 once, then reads it back', () => {
    const dir = tempDir();
    const first = loadKek(dir);
    expect(first).toHaveLength(32);
    expect(statSync(join(dir, 'kek')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'kek'), 'utf8').trim()).toBe(first.toString('hex'));
    expect(loadKek(dir).equals(first)).toBe(true);
  });

  it('prefers MOTE_KEK and writes no file then', () => {
    const dir = tempDir();
    const hex = 'ab'.repeat(32);
    expect(loadKek(dir, hex).toString('hex')).toBe(hex);
    expect(() => statSync(join(dir, 'kek'))).toThrow();
  });

  it('refuses a kek file that is not 64 hex digits', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'kek'), 'nope');
    expect(() => loadKek(dir)).toThrow(/64 hex digits/);
  });
});
