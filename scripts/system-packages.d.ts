/** scripts/system-packages.js: Debian packages the tests and the bench need (plain JS: `npm test` runs it without tsx). */
export const SYSTEM_PACKAGES: [string, () => boolean][];
export function ensureSystemPackages(names?: string[], who?: string): void;
