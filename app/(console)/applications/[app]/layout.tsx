import Link from 'next/link';
import type { ReactNode } from 'react';
import { AppTabs } from '@/components/AppTabs';
import { getApplication } from '../../_data/server';

export default async function ApplicationLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ app: string }>;
}) {
  const { app } = await params;
  const application = await getApplication(app);
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="-mx-6 -mt-6 mb-5 border-b border-slate-200 bg-white px-6 pt-3">
        <div className="flex items-baseline gap-2 text-sm text-slate-500">
          <Link href="/" className="hover:text-slate-800">
            Applications
          </Link>
          <span>/</span>
        </div>
        <div className="mt-0.5 flex items-baseline gap-3">
          <h1 className="font-mono text-lg font-semibold text-slate-900" data-testid="app-id">
            {application.ids.application_id}
          </h1>
          {application.name && (
            <span className="text-sm text-slate-500" data-testid="app-name">
              {application.name}
            </span>
          )}
        </div>
        <div className="mt-2">
          <AppTabs app={app} />
        </div>
      </div>
      {children}
    </div>
  );
}
