import { ApplicationList } from '@/components/ApplicationList';

export default function ApplicationsPage() {
  return <ApplicationList />;
}
