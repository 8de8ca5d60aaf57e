'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useId, useState } from 'react';

/** Jump to an application by ID: the browser's own suggestion list, filtered as you type. */
export function AppSwitcher({ applications }: { applications: readonly string[] }) {
  const router = useRouter();
  const listId = useId();
  const [miss, setMiss] = useState<string>();
  const go = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const wanted = String(new FormData(e.currentTarget).get('app') ?? '').trim();
    if (!wanted) return;
    const found = applications.find((a) => a === wanted) ?? applications.find((a) => a.includes(wanted));
    setMiss(found ? undefined : wanted);
    if (found) router.push(`/applications/${encodeURIComponent(found)}`);
  };
  return (
    <form aria-label="Go to application" onSubmit={go} className="relative" data-testid="app-switcher">
      <label className="sr-only" htmlFor={`${listId}-input`}>
        Go to application
      </label>
      <input
        id={`${listId}-input`}
        name="app"
        type="search"
        list={listId}
        placeholder="Go to application…"
        autoComplete="off"
        aria-invalid={miss ? true : undefined}
        aria-describedby={miss ? `${listId}-miss` : undefined}
        className="h-8 w-full rounded-md border border-slate-300 bg-white px-2.5 text-sm text-slate-900 placeholder:text-slate-500 sm:w-52"
      />
      <datalist id={listId}>
        {applications.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      {miss && (
        <p id={`${listId}-miss`} role="status" className="absolute top-full mt-1 text-xs text-red-700">
          No application matches “{miss}”.
        </p>
      )}
    </form>
  );
}
