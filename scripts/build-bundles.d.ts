/** scripts/build-bundles.js: the server and the CLI bundled ahead of time (plain JS: `npm run build` runs it without tsx). */
export function buildCli(outDir?: string): Promise<void>;
export function buildServer(outDir?: string): Promise<void>;
export function buildBundles(outDir?: string): Promise<void>;
