import { isValidId } from '../../lib/ids';
import type { ApplicationStore } from '../store/ports';
import type { ApiKeyService } from './apiKeyService';
import { CONSOLE_TOKEN_PREFIX, type ConsoleAuth } from './consoleAuth';
import type { ApiKeyPrincipal, MqttPrincipal } from './principal';

/**
 * MQTT CONNECT credentials (docs/behaviour.md §3): username = application ID, password = an API key of that
 * application (any right) or the console's short-lived token. Anything else is undefined → 0x05.
 */
export function mqttAuthenticator(deps: {
  apiKeys: ApiKeyService;
  console: ConsoleAuth;
  applications: ApplicationStore;
}) {
  async function consoleSession(username: string, password: string): Promise<MqttPrincipal | undefined> {
    const admin = await deps.console.redeemToken(password);
    if (!admin || !(await deps.applications.exists(username))) return undefined;
    // Keyed and timed by the console session: its logout or expiry ends this MQTT session.
    return {
      applicationId: username,
      rights: ['RIGHT_APPLICATION_ALL'],
      credentialId: admin.credentialId,
      expiresAt: admin.expiresAt,
      console: true,
    };
  }

  /** A key held verified answers at once, without a promise (apiKeyService.authenticate). */
  return (
    username: string,
    password: string,
  ): MqttPrincipal | undefined | Promise<MqttPrincipal | undefined> => {
    if (!isValidId(username)) return undefined;
    if (password.startsWith(CONSOLE_TOKEN_PREFIX)) return consoleSession(username, password);
    const key = deps.apiKeys.authenticate(password);
    return key instanceof Promise ? key.then((k) => keyPrincipal(k, username)) : keyPrincipal(key, username);
  };
}

function keyPrincipal(key: ApiKeyPrincipal | undefined, username: string): MqttPrincipal | undefined {
  if (!key || key.applicationId !== username || key.rights.length === 0) return undefined;
  return {
    applicationId: key.applicationId,
    rights: key.rights,
    credentialId: key.credentialId,
    expiresAt: key.expiresAt,
  };
}
