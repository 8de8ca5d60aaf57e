#!/usr/bin/env node
// The `mote` CLI (commands shaped like ttn-lw-cli). TypeScript sources in bin/cli, run via tsx.
const { register } = await import('tsx/esm/api');
register();
await import('./cli/main.ts');
