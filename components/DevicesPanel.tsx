'use client';

import { useState } from 'react';
import { CreateDeviceForm } from './CreateDeviceForm';
import { DeviceList } from './devices/DeviceList';
import type { DevicePage } from './devices/useDevicePage';
import { Button, Card } from './ui';

export function DevicesPanel({ app, initial }: { app: string; initial: DevicePage }) {
  const [creating, setCreating] = useState(false);
  return (
    <Card
      title="End devices"
      actions={
        <Button variant="primary" size="sm" onClick={() => setCreating(true)} data-testid="new-device">
          + New device
        </Button>
      }
    >
      {creating && <CreateDeviceForm app={app} onDone={() => setCreating(false)} />}
      <DeviceList app={app} initial={initial} />
    </Card>
  );
}
