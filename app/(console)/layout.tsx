import Link from 'next/link';
import type { ReactNode } from 'react';
import { LogoutButton } from '@/components/LogoutButton';
import { Providers } from '@/components/Providers';
import { requireConsoleSession } from '@/server/http/consoleSession';

export const dynamic = 'force-dynamic';

/** Every console page is behind the admin session. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  await requireConsoleSession();
  return (
    <Providers>
      <div className="flex min-h-full flex-col">
        <header className="flex items-center gap-6 border-b border-slate-200 bg-white px-6 py-3">
          <Link href="/" className="text-lg font-semibold tracking-tight text-indigo-700">
            Mote
          </Link>
          <nav className="flex gap-4 text-sm text-slate-600">
            <Link href="/" className="hover:text-slate-900">
              Applications
            </Link>
            <Link href="/gateways" className="hover:text-slate-900" data-testid="nav-gateways">
              Gateways
            </Link>
          </nav>
          <div className="ml-auto">
            <LogoutButton />
          </div>
        </header>
        <main className="flex min-h-0 flex-1 flex-col p-6">{children}</main>
      </div>
    </Providers>
  );
}
