'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { crumbsOf } from '@/lib/console/crumbs';

/** The console's one trail, above every page but the application list. */
export function Breadcrumbs() {
  const crumbs = crumbsOf(usePathname());
  if (crumbs.length < 2) return null;
  return (
    <nav aria-label="Breadcrumb" className="min-w-0 text-sm text-slate-600" data-testid="breadcrumbs">
      <ol className="flex flex-wrap items-baseline gap-x-1.5">
        {crumbs.map((c, i) => {
          const last = i === crumbs.length - 1;
          return (
            <li key={c.href} className="flex min-w-0 items-baseline gap-x-1.5">
              {last ? (
                <span aria-current="page" className={`truncate text-slate-900 ${c.id ? 'font-mono' : ''}`}>
                  {c.label}
                </span>
              ) : (
                <Link
                  href={c.href}
                  className={`truncate hover:text-slate-900 hover:underline ${c.id ? 'font-mono' : ''}`}
                >
                  {c.label}
                </Link>
              )}
              {!last && <span aria-hidden="true">/</span>}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
