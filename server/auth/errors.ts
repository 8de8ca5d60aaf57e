import { defineError } from '../../lib/errors';

/** Authentication and authorization errors (`insufficient_rights` as TTS names it). */
const NS = 'pkg/mote';

export const loginThrottled = defineError(
  NS,
  'login_throttled',
  'resource_exhausted',
  'too many failed logins; try again in {retry_after_s} s',
);

export const loginBusy = defineError(
  NS,
  'login_busy',
  'resource_exhausted',
  'too many logins at once; try again in {retry_after_s} s',
);

export const invalidCredentials = defineError(NS, 'invalid_credentials', 'unauthenticated', 'wrong password');

export const insufficientRights = defineError(
  NS,
  'insufficient_rights',
  'permission_denied',
  'insufficient rights on application `{application_id}`: need {missing_rights}',
);

export const adminOnly = defineError(
  NS,
  'insufficient_rights',
  'permission_denied',
  'only the console administrator may do this',
);

export const cannotGrantRights = defineError(
  NS,
  'insufficient_rights',
  'permission_denied',
  'cannot grant rights the caller does not have: {missing_rights}',
);

export const expiryInPast = defineError(
  NS,
  'expiry_in_past',
  'invalid_argument',
  '`{field}` must be in the future',
);

/** Issue 17 item 10: a settings-only key deleted an ALL key, or made it expire in 2 s. */
export const cannotManageKey = defineError(
  NS,
  'insufficient_rights',
  'permission_denied',
  'cannot delete or change the expiry of a key with rights the caller does not have: {missing_rights}',
);

/** Issue 17 item 10: an expiring key cleared its own expiry. */
export const expiryBeyondCaller = defineError(
  NS,
  'expiry_beyond_caller',
  'permission_denied',
  '`expires_at` must be set and no later than the calling key expires ({caller_expires_at})',
);
