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
    <div className="flex min-h-0 min-w-0 flex-1 flex-col">
      <div className="mb-5 border-b border-slate-200">
        <div className="flex min-w-0 flex-wrap items-baseline gap-x-3">
          <h1 className="truncate font-mono text-lg font-semibold text-slate-900" data-testid="app-id">
            {application.ids.application_id}
          </h1>
          {application.name && (
            <span className="truncate text-sm text-slate-600" data-testid="app-name">
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
