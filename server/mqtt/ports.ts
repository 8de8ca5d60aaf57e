import type { DownlinkOperation } from '../../lib/topics';
import type { ConnectFailureOptions, ConnectFailures } from '../auth/connectFailures';
import type { MqttPrincipal } from '../auth/principal';
import type { EventBus } from '../bus/bus';

/**
 * What the MQTT frontend may ask of the rest of Mote (as TTS's io/io.go). The MQTT server
 * depends on this port only; tests give it an in-memory double.
 */
/**
 * What became of a `down/push|replace`: `stored`; `refused` (bad input or a refused operation,
 * answered with `down/failed`); `not_stored` (the storage could not take it, `down/failed` too):
 * MQTT 5 clients then hear reason 0x80 in their PUBACK, so they know to send it again.
 */
export type DownlinkReceipt = 'stored' | 'refused' | 'not_stored';

export interface MqttPorts {
  /**
   * Undefined when the username/password pair is not valid (CONNACK 0x05). A promise only when it
   * must wait (a key not yet read from the store): a CONNECT then needs none of its own.
   */
  authenticate(
    username: string,
    password: string,
  ): MqttPrincipal | undefined | Promise<MqttPrincipal | undefined>;
  bus: Pick<EventBus, 'subscribe'>;
  /**
   * A `down/push` or `down/replace` body as received (downlinkReceiver parses it for the core).
   * Never throws: failures are answered on the device's `down/failed` topic. Resolves once the
   * result is durable, so QoS 1 PUBACK means "stored".
   */
  receiveDownlinks(
    applicationId: string,
    deviceId: string,
    operation: DownlinkOperation,
    payload: Buffer,
  ): Promise<DownlinkReceipt>;
  /** Calls back with a credential ID when its key is deleted, changed or expired. */
  onCredentialRevoked(listener: (credentialId: string) => void): () => void;
  /** Where refused CONNECTs are counted; the server's own count unless shared (several instances). */
  connectFailures?: (o: ConnectFailureOptions) => ConnectFailures;
}
