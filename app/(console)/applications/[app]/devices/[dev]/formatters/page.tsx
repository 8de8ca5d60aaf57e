import Link from 'next/link';
import { FormatterEditor } from '@/components/formatters/FormatterEditor';
import { getDevice } from '../../../../../_data/server';

export default async function DeviceFormattersPage({
  params,
}: {
  params: Promise<{ app: string; dev: string }>;
}) {
  const { app, dev } = await params;
  const device = await getDevice(app, dev);
  return (
    <div className="flex flex-col gap-3">
      <div className="text-sm text-slate-500">
        <Link href={`/applications/${app}/devices/${dev}`} className="hover:text-slate-800">
          {device.ids.device_id}
        </Link>{' '}
        / payload formatters
      </div>
      <FormatterEditor scope={{ app, dev }} />
    </div>
  );
}
