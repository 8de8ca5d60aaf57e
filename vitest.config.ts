import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    include: [
      'lib/**/*.test.ts',
      'components/**/*.test.ts',
      'server/**/*.test.ts',
      'bin/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 240_000,
    pool: 'forks',
    // Two files at a time on CI's two cores (vitest's default is cores − 1 = one): the suites
    // wait for their servers, they do not spin, so the second file fills the first's waits.
    // Every suite owns its ports, data dirs and databases, so files never share state.
    maxWorkers: 2,
    globalSetup: ['test/global-setup.ts'],
  },
});
