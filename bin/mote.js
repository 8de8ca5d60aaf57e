#!/usr/bin/env node
// The `mote` CLI (commands shaped like ttn-lw-cli), TypeScript sources in bin/cli. Runs the bundle
// `npm run build` makes (scripts/build-bundles.js) when no source it was built from changed since;
// otherwise (or with MOTE_CLI_FROM_SOURCES=1) the sources themselves through tsx, which starts
// ~0.5 s slower.
import { currentBundle } from './bundles.js';

const bundle =
  process.env.MOTE_CLI_FROM_SOURCES === '1' ? undefined : currentBundle(new URL('../', import.meta.url));
if (bundle) {
  await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./cli/main.ts');
}
