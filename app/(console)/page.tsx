import { ApplicationList } from '@/components/ApplicationList';
import { listApplications } from './_data/server';

export const metadata = { title: 'Applications' };

export default async function ApplicationsPage() {
  return (
    <div className="mx-auto w-full max-w-5xl">
      <h1 className="sr-only">Applications</h1>
      <ApplicationList initial={await listApplications()} />
    </div>
  );
}
