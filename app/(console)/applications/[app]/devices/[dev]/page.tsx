import Link from 'next/link';
import { DeviceWorkbench } from '@/components/device/DeviceWorkbench';
import { RelativeTime } from '@/components/RelativeTime';
import { getDevice } from '../../../../_data/server';

function Fact({ label, value }: { label: string; value?: string }) {
  return (
    <div>
      <dt className="text-[11px] font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="font-mono text-sm text-slate-800">{value ?? '—'}</dd>
    </div>
  );
}

export default async function DevicePage({ params }: { params: Promise<{ app: string; dev: string }> }) {
  const { app, dev } = await params;
  const device = await getDevice(app, dev);
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-wrap items-end gap-x-8 gap-y-3 rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-xs">
        <div className="min-w-0">
          <Link href={`/applications/${app}/devices`} className="text-xs text-slate-500 hover:text-slate-800">
            End devices /
          </Link>
          <h2 className="font-mono text-base font-semibold" data-testid="device-id">
            {device.ids.device_id}
          </h2>
          {device.name && (
            <p className="max-w-md truncate text-sm text-slate-600" data-testid="device-title">
              {device.name}
            </p>
          )}
        </div>
        <dl className="flex flex-wrap gap-x-8 gap-y-2">
          <Fact label="DevEUI" value={device.ids.dev_eui} />
          <Fact label="JoinEUI" value={device.ids.join_eui} />
          <Fact label="DevAddr" value={device.ids.dev_addr} />
          <div>
            <dt className="text-[11px] font-medium tracking-wide text-slate-500 uppercase">Last seen</dt>
            <dd className="text-sm text-slate-800">
              <RelativeTime iso={device.last_seen_at} empty="never" />
            </dd>
          </div>
        </dl>
      </div>
      <DeviceWorkbench app={app} dev={dev} />
    </div>
  );
}
