/** scripts/build-cli.js: the CLI bundled ahead of time (plain JS: `npm run build` runs it without tsx). */
export function buildCli(outDir?: string): Promise<void>;
