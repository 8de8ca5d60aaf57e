import { pageCount } from './deviceQuery';

/** "51–100 of 300 devices", and previous / next, under a device table. */
export function DevicePager({
  page,
  pageSize,
  shown,
  total,
  onPage,
}: {
  /** 0-based. */
  page: number;
  pageSize: number;
  /** Rows on this page. */
  shown: number;
  total: number;
  onPage: (page: number) => void;
}) {
  const pages = pageCount(total, pageSize);
  return (
    <nav
      className="flex items-center justify-between gap-3 border-t border-slate-100 px-3 py-2 text-sm text-slate-600"
      aria-label="Device pages"
    >
      <span data-testid="device-count">
        {total === 0 || shown === 0
          ? `${total} devices`
          : `${page * pageSize + 1}–${page * pageSize + shown} of ${total} devices`}
      </span>
      <span className="flex items-center gap-2">
        <button
          type="button"
          className="rounded px-2 py-1 hover:bg-slate-100 disabled:opacity-40"
          disabled={page === 0}
          onClick={() => onPage(page - 1)}
          data-testid="page-prev"
        >
          ← Previous
        </button>
        <span data-testid="page-of">
          Page {Math.min(page, pages - 1) + 1} of {pages}
        </span>
        <button
          type="button"
          className="rounded px-2 py-1 hover:bg-slate-100 disabled:opacity-40"
          disabled={page >= pages - 1}
          onClick={() => onPage(page + 1)}
          data-testid="page-next"
        >
          Next →
        </button>
      </span>
    </nav>
  );
}
