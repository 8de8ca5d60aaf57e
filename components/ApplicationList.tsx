'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { api } from '@/lib/apiClient';

interface Application {
  ids: { application_id: string };
  name?: string;
  created_at: string;
}

export function ApplicationList() {
  const { data, error, isLoading } = useQuery({
    queryKey: ['applications'],
    queryFn: () => api<{ applications: Application[] }>('/api/v3/applications'),
  });
  return (
    <section>
      <h1 className="mb-4 text-xl font-semibold">Applications</h1>
      {isLoading && <p className="text-slate-500">Loading…</p>}
      {error && <p role="alert" className="text-red-600">{error.message}</p>}
      <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
        {data?.applications.map((a) => (
          <li key={a.ids.application_id} className="px-4 py-3">
            <Link href={`/applications/${a.ids.application_id}`} className="font-medium text-indigo-700 hover:underline">
              {a.ids.application_id}
            </Link>
            {a.name && <span className="ml-3 text-slate-500">{a.name}</span>}
          </li>
        ))}
        {data && data.applications.length === 0 && <li className="px-4 py-3 text-slate-500">No applications yet.</li>}
      </ul>
    </section>
  );
}
