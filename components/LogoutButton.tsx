'use client';

import { useRouter } from 'next/navigation';
import { apiFetch } from '@/lib/apiClient';

export function LogoutButton() {
  const router = useRouter();
  return (
    <button
      type="button"
      className="text-sm text-slate-600 hover:text-slate-900"
      onClick={async () => {
        await apiFetch('/api/auth/logout', { method: 'POST' });
        router.replace('/login');
        router.refresh();
      }}
    >
      Log out
    </button>
  );
}
