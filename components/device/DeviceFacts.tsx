'use client';

import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/apiClient';
import { devicePath, type EndDevice } from '../apiTypes';
import { RelativeTime } from '../RelativeTime';

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-[11px] font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="font-mono text-sm text-slate-800">{children}</dd>
    </div>
  );
}

/** IDs and last seen; DevAddr and last seen change as the device joins and sends, so poll. */
export function DeviceFacts({ app, initial }: { app: string; initial: EndDevice }) {
  const { data } = useQuery({
    queryKey: ['device', app, initial.ids.device_id],
    queryFn: () => api<EndDevice>(devicePath(app, initial.ids.device_id)),
    initialData: initial,
    refetchInterval: 5_000,
  });
  return (
    <dl className="flex flex-wrap gap-x-8 gap-y-2">
      <Fact label="DevEUI">{data.ids.dev_eui ?? '—'}</Fact>
      <Fact label="JoinEUI">{data.ids.join_eui ?? '—'}</Fact>
      <Fact label="DevAddr">{data.ids.dev_addr ?? '—'}</Fact>
      <Fact label="Last seen">
        <span className="font-sans" data-testid="last-seen">
          <RelativeTime iso={data.last_seen_at} empty="never" />
        </span>
      </Fact>
    </dl>
  );
}
