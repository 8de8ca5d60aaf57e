'use client';

import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '@/lib/apiClient';
import type { ApiKey } from './apiTypes';
import { CopyButton } from './CopyButton';
import { KeyReveal } from './KeyReveal';
import { type MqttEndpoints, mqttCommands, mqttEndpoints } from './mqttCommands';
import { Button, Card, ErrorText } from './ui';

export const MQTT_RIGHTS = ['RIGHT_APPLICATION_TRAFFIC_READ', 'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE'];

interface MqttInfoProps {
  app: string;
  address: { public_address: string; public_tls_address?: string; websocket_path: string };
}

function Row({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="grid grid-cols-[minmax(0,7rem)_minmax(0,1fr)] items-center gap-2 py-1">
      <dt className="text-xs text-slate-600">{label}</dt>
      {/* The copy button inside the dd: a dl's rows hold only dt and dd. */}
      <dd className="flex min-w-0 items-center gap-2">
        <span className="min-w-0 flex-1 truncate font-mono text-sm" data-testid={testId} title={value}>
          {value}
        </span>
        <CopyButton text={value} testId={`copy-${testId}`} />
      </dd>
    </div>
  );
}

function Command({ label, text, testId }: { label: string; text: string; testId: string }) {
  return (
    <div>
      <div className="flex items-center justify-between gap-2">
        <span className="text-xs font-medium text-slate-700">{label}</span>
        <CopyButton text={text} testId={`copy-${testId}`} />
      </div>
      <pre
        data-testid={testId}
        className="mt-1 rounded bg-slate-900 px-3 py-2 font-mono text-[11px] break-all whitespace-pre-wrap text-slate-100"
      >
        {text}
      </pre>
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
  // The browser's location is known only after hydration; the server's view renders first.
  const [endpoints, setEndpoints] = useState<MqttEndpoints>(() => mqttEndpoints(address));
  useEffect(() => setEndpoints(mqttEndpoints(address, window.location)), [address]);
  const commands = mqttCommands(endpoints, app, generate.data?.key ?? '<API key>');
  return (
    <Card title="MQTT" testId="mqtt-info">
      <dl className="px-4 py-2">
        <Row label="MQTT (TCP)" value={`${endpoints.host}:${endpoints.port}`} testId="mqtt-address" />
        {endpoints.tls ? (
          <Row label="MQTT over TLS" value={endpoints.tls} testId="mqtt-tls-address" />
        ) : (
          <div className="grid grid-cols-[minmax(0,7rem)_minmax(0,1fr)] items-center gap-2 py-1">
            <dt className="text-xs text-slate-600">MQTT over TLS</dt>
            <dd className="text-xs text-slate-600" data-testid="mqtt-tls-address">
              not enabled (set <code className="font-mono">MOTE_TLS_CERT</code> and{' '}
              <code className="font-mono">MOTE_TLS_KEY</code>)
            </dd>
          </div>
        )}
        <Row label="MQTT over WebSocket" value={endpoints.websocket} testId="mqtt-ws" />
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
            <span className="text-xs text-slate-600">
              read traffic + write downlinks; use it as the MQTT password
            </span>
          </div>
        )}
        <ErrorText error={generate.error} />
        <Command label="Subscribe to uplinks" text={commands.subscribe} testId="mqtt-subscribe" />
        <Command label="Push a downlink" text={commands.publish} testId="mqtt-publish" />
      </div>
    </Card>
  );
}
