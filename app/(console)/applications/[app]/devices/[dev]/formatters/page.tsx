import { FormatterEditor } from '@/components/formatters/FormatterEditor';
import { getDevice } from '../../../../../_data/server';
import { deviceTitle } from '../../../../../_data/titles';

export const generateMetadata = deviceTitle('Payload formatters');

export default async function DeviceFormattersPage({
  params,
}: {
  params: Promise<{ app: string; dev: string }>;
}) {
  const { app, dev } = await params;
  const device = await getDevice(app, dev);
  return (
    <div className="flex flex-col gap-3">
      <h2 className="text-sm font-semibold text-slate-800">
        Payload formatters of <span className="font-mono">{device.ids.device_id}</span>
      </h2>
      <FormatterEditor scope={{ app, dev }} />
    </div>
  );
}
