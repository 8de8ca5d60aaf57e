/** @type {import('next').NextConfig} */
const nextConfig = {
  // better-sqlite3 is native and only ever touched by the custom server (see server/registry.ts).
  serverExternalPackages: ['better-sqlite3', 'pino'],
  poweredByHeader: false,
  // Type checking is `npm run typecheck` (part of `npm test`), not repeated in every build.
  typescript: { ignoreBuildErrors: true },
};
export default nextConfig;
