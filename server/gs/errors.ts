import { defineError } from '../../lib/errors';

/** The gateway server's errors, as TTS's `pkg/gatewayserver` names them. */
const NS = 'pkg/gatewayserver';

/** A registered gateway the gateway server has not heard since it started. */
export const gatewayNotConnected = defineError(
  NS,
  'gateway_not_connected',
  'not_found',
  'gateway `{gateway_id}` not connected',
);
