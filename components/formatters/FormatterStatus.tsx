'use client';

import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/apiClient';
import { enc } from '../apiTypes';

interface Status {
  suspended: { hash: string; since: string; timeouts: number; default: boolean; message: string }[];
}

export const formatterStatusKey = (app: string) => ['formatter-status', app] as const;

/**
 * The application's scripts suspended by their time budget (issue 17 item 4): said above the
 * editor, with the way out — saving the formatters resumes them.
 */
export function FormatterStatus({ app }: { app: string }) {
  const { data } = useQuery({
    queryKey: formatterStatusKey(app),
    queryFn: () => api<Status>(`/api/v3/as/applications/${enc(app)}/formatters/status`),
    refetchInterval: 10_000,
  });
  if (!data?.suspended.length) return null;
  return (
    <div role="alert" className="rounded border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-900">
      {data.suspended.map((s) => (
        <p key={s.hash} data-testid="formatter-suspended">
          <strong>Suspended</strong> (
          {s.default ? "the application's default formatter" : 'a device override'}): {s.message}.
        </p>
      ))}
    </div>
  );
}
