/**
 * Shown while a console page renders on the server (its data is read first): the shape of a
 * page, so a slow answer does not look like a dead link.
 */
export default function Loading() {
  return (
    <div
      role="status"
      aria-live="polite"
      data-testid="page-loading"
      className="flex animate-pulse flex-col gap-4"
    >
      <span className="sr-only">Loading…</span>
      <div className="h-6 w-48 rounded bg-slate-200" />
      <div className="h-4 w-72 rounded bg-slate-200" />
      <div className="h-64 rounded-lg border border-slate-200 bg-white" />
    </div>
  );
}
