import { describe, expect, it } from 'vitest';
import type { VersionIds } from '../../lib/messages';
import { VersionIdsCache, versionColumns, versionIdsOf } from './versionIds';

describe('version_ids columns', () => {
  it('a string sets, null or empty clears, absent keeps; no value at all reads as undefined', () => {
    expect(versionColumns({ brand_id: 'acme', model_id: null, band_id: '' })).toEqual({
      version_brand_id: 'acme',
      version_model_id: null,
      version_band_id: null,
    });
    expect(versionIdsOf({ version_brand_id: 'acme', version_model_id: null })).toEqual({ brand_id: 'acme' });
    expect(versionIdsOf({ version_brand_id: null })).toBeUndefined();
  });
});

describe('VersionIdsCache', () => {
  const counting = (value: VersionIds | undefined) => {
    const load = () => {
      load.calls++;
      return Promise.resolve(value);
    };
    load.calls = 0;
    return load;
  };

  it('a burst shares one read; a write drops it, even while the read is in flight', async () => {
    const cache = new VersionIdsCache();
    const old = counting({ firmware_version: '1.0' });
    const burst = [cache.get('a/d', old), cache.get('a/d', old), cache.get('a/d', old)];
    cache.drop('a/d');
    expect(await Promise.all(burst)).toEqual([
      { firmware_version: '1.0' },
      { firmware_version: '1.0' },
      { firmware_version: '1.0' },
    ]);
    expect(old.calls).toBe(1);
    const fresh = counting({ firmware_version: '2.0' });
    expect(await cache.get('a/d', fresh)).toEqual({ firmware_version: '2.0' });
    expect(await cache.get('a/d', fresh)).toEqual({ firmware_version: '2.0' });
    expect(fresh.calls).toBe(1);
  });

  it('reads again once the entry is older than its TTL, or after clear()', async () => {
    let now = 0;
    const cache = new VersionIdsCache(() => now);
    const load = counting(undefined);
    await cache.get('a/d', load);
    now = 59_999;
    await cache.get('a/d', load);
    expect(load.calls).toBe(1);
    now = 60_000;
    await cache.get('a/d', load);
    expect(load.calls).toBe(2);
    cache.clear();
    await cache.get('a/d', load);
    expect(load.calls).toBe(3);
  });

  it('a failed read is not kept', async () => {
    const cache = new VersionIdsCache();
    await expect(cache.get('a/d', () => Promise.reject(new Error('disk')))).rejects.toThrow('disk');
    expect(await cache.get('a/d', () => Promise.resolve({ band_id: 'EU_863_870' }))).toEqual({
      band_id: 'EU_863_870',
    });
  });
});
