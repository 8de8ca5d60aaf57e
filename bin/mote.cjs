#!/usr/bin/env node
// The `mote` CLI (commands shaped like ttn-lw-cli), TypeScript sources in bin/cli. Runs the bundle
// `npm run build` makes (scripts/build-bundles.js) when no source it was built from changed since;
// otherwise (or with MOTE_CLI_FROM_SOURCES=1) the sources themselves through tsx, which starts
// ~0.5 s slower. CommonJS, as the bundle is: Node then starts without its ES module loader, ~15 ms
// of a call that scripts make once per device.
const { fileURLToPath, pathToFileURL } = require('node:url');
const { currentBundle } = require('./bundles.cjs');

const bundle =
  process.env.MOTE_CLI_FROM_SOURCES === '1' ? undefined : currentBundle(pathToFileURL(`${__dirname}/../`));
if (bundle) {
  require(fileURLToPath(bundle));
} else {
  import('tsx/esm/api').then(({ register }) => {
    register();
    return import('./cli/main.ts');
  });
}
