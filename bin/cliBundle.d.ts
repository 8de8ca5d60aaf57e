/** bin/cliBundle.js: the CLI bundle's URL while no source it was built from changed, else undefined. */
export function currentBundle(root: URL): URL | undefined;
