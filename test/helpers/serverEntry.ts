import { fileURLToPath, pathToFileURL } from 'node:url';
import { currentBundle } from '../../bin/bundles.cjs';

/**
 * How the harness starts the server: the bundle `npm run build` made, as `npm start` runs it, while
 * no source changed since; else the sources through tsx (an edit between build and test run).
 */
export function serverEntry(): string[] {
  const bundle = currentBundle(pathToFileURL(`${process.cwd()}/`), 'server');
  return bundle ? [fileURLToPath(bundle)] : ['--import', 'tsx', 'server/main.ts'];
}
