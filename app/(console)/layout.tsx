import Link from 'next/link';
import type { ReactNode } from 'react';
import { LogoutButton } from '@/components/LogoutButton';
import { Providers } from '@/components/Providers';
import { AppSwitcher } from '@/components/shell/AppSwitcher';
import { Breadcrumbs } from '@/components/shell/Breadcrumbs';
import { OfflineBanner } from '@/components/shell/OfflineBanner';
import { SkipLink } from '@/components/shell/SkipLink';
import { ThemeToggle } from '@/components/shell/ThemeToggle';
import { requireConsoleSession } from '@/server/http/consoleSession';
import { listApplications } from './_data/server';

export const dynamic = 'force-dynamic';

/** Every console page is behind the admin session. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  await requireConsoleSession();
  const applications = (await listApplications()).map((a) => a.ids.application_id);
  return (
    <Providers>
      <SkipLink />
      <div className="flex min-h-full flex-col">
        <header className="flex flex-wrap items-center gap-x-6 gap-y-2 border-b border-slate-200 bg-white px-4 py-3 sm:px-6">
          <Link href="/" className="text-lg font-semibold tracking-tight text-indigo-700">
            Mote
          </Link>
          <nav aria-label="Main" className="flex gap-4 text-sm text-slate-600">
            <Link href="/" className="hover:text-slate-900">
              Applications
            </Link>
            <Link href="/gateways" className="hover:text-slate-900" data-testid="nav-gateways">
              Gateways
            </Link>
          </nav>
          <div className="ml-auto flex items-center gap-3">
            <div className="max-sm:hidden">
              <AppSwitcher applications={applications} />
            </div>
            <ThemeToggle />
            <LogoutButton />
          </div>
        </header>
        <OfflineBanner />
        <main
          id="main"
          tabIndex={-1}
          className="flex min-h-0 min-w-0 flex-1 flex-col p-4 outline-none sm:p-6"
        >
          <div className="mb-3 empty:hidden">
            <Breadcrumbs />
          </div>
          {children}
        </main>
      </div>
    </Providers>
  );
}
