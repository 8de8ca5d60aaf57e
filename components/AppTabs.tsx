'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

export function AppTabs({ app }: { app: string }) {
  const path = usePathname();
  const base = `/applications/${app}`;
  const tabs = [
    { href: base, label: 'Overview', active: path === base },
    { href: `${base}/devices`, label: 'Devices', active: path.startsWith(`${base}/devices`) },
    { href: `${base}/live`, label: 'Live data', active: path.startsWith(`${base}/live`) },
    {
      href: `${base}/formatters`,
      label: 'Payload formatters',
      active: path.startsWith(`${base}/formatters`),
    },
    { href: `${base}/api-keys`, label: 'API keys', active: path.startsWith(`${base}/api-keys`) },
    { href: `${base}/settings`, label: 'Settings', active: path.startsWith(`${base}/settings`) },
  ];
  return (
    // On a narrow screen the tabs scroll sideways on their own, not the page.
    <nav className="-mb-px flex gap-1 overflow-x-auto text-sm whitespace-nowrap" aria-label="Application">
      {tabs.map((t) => (
        <Link
          key={t.href}
          href={t.href}
          data-testid={`tab-${t.label.toLowerCase().replaceAll(' ', '-')}`}
          aria-current={t.active ? 'page' : undefined}
          className={`-mb-px border-b-2 px-3 py-2 ${
            t.active
              ? 'border-indigo-600 font-medium text-indigo-700'
              : 'border-transparent text-slate-600 hover:text-slate-900'
          }`}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
