// Which CLI runs (bin/mote.js): the bundle scripts/build-cli.js wrote into `<root>/.mote-build`,
// when every source it was built from is older than it; else nothing, and the sources run.
import { readFileSync, statSync } from 'node:fs';

/** The bundle's URL while it is current, else undefined. `root` ends with a slash. */
export function currentBundle(root) {
  const bundle = new URL('.mote-build/cli.mjs', root);
  try {
    const built = statSync(bundle).mtimeMs;
    const sources = JSON.parse(readFileSync(new URL('.mote-build/cli-sources.json', root), 'utf8'));
    return sources.every((file) => statSync(new URL(file, root)).mtimeMs <= built) ? bundle : undefined;
  } catch {
    return undefined;
  }
}
