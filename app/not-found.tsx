import { NotFound } from '@/components/shell/NotFound';

export const metadata = { title: 'Not found' };

/** An address no page answers. */
export default function RootNotFound() {
  return (
    <main id="main" className="flex min-h-full items-start justify-center p-6 sm:pt-24">
      <NotFound />
    </main>
  );
}
