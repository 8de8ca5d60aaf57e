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
