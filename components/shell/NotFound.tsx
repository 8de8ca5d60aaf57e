'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { missingOf } from '@/lib/console/crumbs';

/** A 404 that names what is missing and offers the way back, instead of Next's bare one. */
export function NotFound() {
  const missing = missingOf(usePathname());
  return (
    <div
      className="mx-auto w-full max-w-xl rounded-lg border border-slate-200 bg-white p-6 shadow-xs"
      data-testid="not-found"
    >
      <p className="text-xs font-semibold tracking-wide text-slate-600 uppercase">404 · not found</p>
      <h1 className="mt-1 text-lg font-semibold text-slate-900">{missing.message}</h1>
      <p className="mt-2 text-sm text-slate-600">It may have been deleted, or the address may be mistyped.</p>
      <Link
        href={missing.back.href}
        className="mt-4 inline-block text-sm font-medium text-indigo-700 hover:underline"
        data-testid="not-found-back"
      >
        ← {missing.back.label}
      </Link>
    </div>
  );
}
