/** bin/bundles.cjs: a bundle's URL (`cli`, `server`) while no source it was built from changed, else undefined. */
export function currentBundle(root: URL, name?: 'cli' | 'server'): URL | undefined;
