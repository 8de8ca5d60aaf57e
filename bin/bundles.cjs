// Which code runs: a bundle scripts/build-bundles.js wrote into `<root>/.mote-build` (`cli` for
// bin/mote.cjs, `server` for scripts/start.js and the test harness), when every source it was built
// from is older than it; else nothing, and the caller runs the sources. CommonJS, so that
// bin/mote.cjs can start without Node's ES module loader.
const { readFileSync, statSync } = require('node:fs');

/** The CLI is CommonJS (it starts faster), the server an ES module. */
const FILES = { cli: 'cli.cjs', server: 'server.mjs' };

/** The bundle's URL while it is current, else undefined. `root` ends with a slash. */
function currentBundle(root, name = 'cli') {
  const bundle = new URL(`.mote-build/${FILES[name]}`, root);
  try {
    const built = statSync(bundle).mtimeMs;
    const sources = JSON.parse(readFileSync(new URL(`.mote-build/${name}-sources.json`, root), 'utf8'));
    return sources.every((file) => statSync(new URL(file, root)).mtimeMs <= built) ? bundle : undefined;
  } catch {
    return undefined;
  }
}

module.exports = { currentBundle };
