import type { Right } from '../../lib/rights';
import type { EventBus } from '../bus/bus';

/** Who a CONNECT authenticated as. */
export interface MqttPrincipal {
  applicationId: string;
  rights: readonly Right[];
  /** API key ID or console-token ID; sessions are closed when it is revoked. */
  credentialId: string;
  expiresAt?: Date;
  /** The console's own session: it also receives console-only events (BusMessage.audience). */
  console?: boolean;
}

export type DownlinkOperation = 'push' | 'replace';

/**
 * What the MQTT frontend may ask of the rest of Mote (as TTS's io/io.go). The MQTT server
 * depends on this port only; tests give it an in-memory double.
 */
export interface MqttPorts {
  /** Resolves undefined when the username/password pair is not valid (CONNACK 0x05). */
  authenticate(username: string, password: string): Promise<MqttPrincipal | undefined>;
  bus: Pick<EventBus, 'subscribe'>;
  /**
   * A `down/push` or `down/replace` body as received. Validation failures are not thrown:
   * the AS core publishes them as `down/failed` on the device's topic (SPEC §5 Beyond).
   * Resolves once the result is durable, so QoS 1 PUBACK means "stored".
   */
  receiveDownlinks(
    applicationId: string,
    deviceId: string,
    operation: DownlinkOperation,
    payload: Buffer,
  ): Promise<void>;
  /** Calls back with a credential ID when its key is deleted, changed or expired. */
  onCredentialRevoked(listener: (credentialId: string) => void): () => void;
}
