import { ApplicationList } from '@/components/ApplicationList';
import { listApplications } from './_data/server';

export default async function ApplicationsPage() {
  return (
    <div className="mx-auto max-w-5xl">
      <ApplicationList initial={await listApplications()} />
    </div>
  );
}
