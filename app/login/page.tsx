import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/LoginForm';
import { safeNextPath } from '@/lib/nextPath';
import { currentConsoleSession } from '@/server/http/consoleSession';

export const dynamic = 'force-dynamic';

export const metadata = { title: 'Sign in' };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  const { next: raw } = await searchParams;
  // Decided here, on the server, so the form only ever holds a path on this origin.
  const next = safeNextPath(typeof raw === 'string' ? raw : undefined);
  if (await currentConsoleSession()) redirect(next);
  return (
    <main className="flex min-h-full items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="mb-1 text-2xl font-semibold tracking-tight">Mote</h1>
        <p className="mb-6 text-sm text-slate-600">Sign in to the console as admin.</p>
        <LoginForm next={next} />
      </div>
    </main>
  );
}
