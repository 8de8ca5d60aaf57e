import { isValidId } from '../../lib/ids';
import type { ApplicationStore } from '../store/ports';
import type { ApiKeyService } from './apiKeyService';
import { CONSOLE_TOKEN_PREFIX, type ConsoleAuth } from './consoleAuth';
import type { MqttPrincipal } from './principal';

/**
 * MQTT CONNECT credentials (docs/behaviour.md §3): username = application ID, password = an API key of that
 * application (any right) or the console's short-lived token. Anything else is undefined → 0x05.
 */
export function mqttAuthenticator(deps: {
  apiKeys: ApiKeyService;
  console: ConsoleAuth;
  applications: ApplicationStore;
}) {
  return async (username: string, password: string): Promise<MqttPrincipal | undefined> => {
    if (!isValidId(username)) return undefined;
    if (password.startsWith(CONSOLE_TOKEN_PREFIX)) {
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
    const key = await deps.apiKeys.authenticate(password);
    if (!key || key.applicationId !== username || key.rights.length === 0) return undefined;
    return {
      applicationId: key.applicationId,
      rights: key.rights,
      credentialId: key.credentialId,
      expiresAt: key.expiresAt,
    };
  };
}
