import { defineError } from '../../lib/errors';

/** The HTTP frontend's own errors: credentials, CSRF and request size. */
const NS = 'pkg/mote';

export const invalidApiKey = defineError(
  NS,
  'invalid_api_key',
  'unauthenticated',
  'API key is unknown, wrong or expired',
);

export const unauthenticated = defineError(
  NS,
  'unauthenticated',
  'unauthenticated',
  'log in, or send `Authorization: Bearer <API key>`',
);

export const crossSiteRequest = defineError(
  NS,
  'cross_site_request',
  'permission_denied',
  'cross-site requests are refused',
  { attributes: ['origin'] },
);

export const csrfTokenMismatch = defineError(
  NS,
  'csrf_token_mismatch',
  'permission_denied',
  'missing or wrong {header} header',
  { messageOnly: ['header'] },
);

export const requestTooLarge = defineError(
  NS,
  'request_too_large',
  'invalid_argument',
  'request body exceeds {max_bytes} bytes',
  { messageOnly: ['max_bytes'] },
);

/** Issue 17 item 3: six concurrent history reads of one read-only key took the server to 4.3 GB. */
export const tooManyHistoryReads = defineError(
  NS,
  'too_many_history_reads',
  'resource_exhausted',
  'at most {max} history reads at once per key or console session; wait for one to finish',
);
