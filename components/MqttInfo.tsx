'use client';

import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '@/lib/apiClient';
import type { ApiKey } from './apiTypes';
import { CopyButton } from './CopyButton';
import { KeyReveal } from './KeyReveal';
import { Button, Card, ErrorText } from './ui';

export const MQTT_RIGHTS = ['RIGHT_APPLICATION_TRAFFIC_READ', 'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE'];

interface MqttInfoProps {
  app: string;
  address: { public_address: string; public_tls_address?: string; websocket_path: string };
}

function Row({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="grid grid-cols-[8rem_1fr_auto] items-center gap-2 py-1">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="truncate font-mono text-sm" data-testid={testId}>
        {value}
      </dd>
      <CopyButton text={value} testId={`copy-${testId}`} />
    </div>
  );
}

/** TTS's "MQTT integration" page: where to connect, and a key with just the traffic rights. */
export function MqttInfo({ app, address }: MqttInfoProps) {
  const generate = useMutation({
    mutationFn: () =>
      api<ApiKey & { key: string }>(`/api/v3/applications/${encodeURIComponent(app)}/api-keys`, {
        method: 'POST',
        json: {
          name: `mqtt ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`,
          rights: MQTT_RIGHTS,
        },
      }),
  });
  const [wsUrl, setWsUrl] = useState(address.websocket_path);
  useEffect(() => {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    setWsUrl(`${scheme}://${window.location.host}${address.websocket_path}`);
  }, [address.websocket_path]);
  const host = address.public_address.replace(/:\d+$/, '');
  const port = address.public_address.match(/:(\d+)$/)?.[1] ?? '1883';
  const example = `mosquitto_sub -h ${host} -p ${port} -u ${app} -P '${generate.data?.key ?? '<API key>'}' -t 'v3/+/devices/+/up' -v`;
  return (
    <Card title="MQTT" testId="mqtt-info">
      <dl className="px-4 py-2">
        <Row label="Public address" value={address.public_address} testId="mqtt-address" />
        {address.public_tls_address ? (
          <Row label="TLS address" value={address.public_tls_address} testId="mqtt-tls-address" />
        ) : (
          <div className="grid grid-cols-[8rem_1fr] items-center gap-2 py-1">
            <dt className="text-xs text-slate-500">TLS address</dt>
            <dd className="text-xs text-slate-500" data-testid="mqtt-tls-address">
              not enabled (set <code className="font-mono">MOTE_TLS_CERT</code> and{' '}
              <code className="font-mono">MOTE_TLS_KEY</code>)
            </dd>
          </div>
        )}
        <Row label="WebSocket" value={wsUrl} testId="mqtt-ws" />
        <Row label="Username" value={app} testId="mqtt-username" />
      </dl>
      <div className="space-y-2 border-t border-slate-100 px-4 py-3">
        {generate.data ? (
          <KeyReveal apiKey={generate.data.key} rights={MQTT_RIGHTS} onDone={() => generate.reset()} />
        ) : (
          <div className="flex items-center gap-3">
            <Button
              variant="primary"
              size="sm"
              onClick={() => generate.mutate()}
              disabled={generate.isPending}
              data-testid="generate-mqtt-key"
            >
              Generate API key
            </Button>
            <span className="text-xs text-slate-500">
              read traffic + write downlinks; use it as the MQTT password
            </span>
          </div>
        )}
        <ErrorText error={generate.error} />
        <pre className="rounded whitespace-pre-wrap break-all bg-slate-900 px-3 py-2 font-mono text-[11px] text-slate-100">
          {example}
        </pre>
      </div>
    </Card>
  );
}
