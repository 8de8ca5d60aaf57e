import { requireRights } from '@/server/auth/principal';
import { apiRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';
type Params = { app: string };

/** TTS GetMQTTConnectionInfo: where to connect, and the username (the application ID). */
export const GET = apiRoute<Params>(async ({ rt, principal, params }) => {
  requireRights(principal, params.app, 'RIGHT_APPLICATION_INFO');
  await rt.store.applications.get(params.app);
  const { public_address, public_tls_address } = rt.mqttAddress();
  return { public_address, ...(public_tls_address ? { public_tls_address } : {}), username: params.app };
});
