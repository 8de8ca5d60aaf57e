import { defineError } from '../../lib/errors';

/** The store's errors: what a lookup or an insert found. Named as TTS's registries name them. */
const NS = 'pkg/mote';

export const notFoundApplication = defineError(
  NS,
  'application_not_found',
  'not_found',
  'application `{application_id}` not found',
);

export const applicationAlreadyExists = defineError(
  NS,
  'application_already_exists',
  'already_exists',
  'application `{application_id}` already exists',
);

export const notFoundDevice = defineError(
  NS,
  'end_device_not_found',
  'not_found',
  'end device `{device_id}` not found in application `{application_id}`',
);

export const deviceAlreadyExists = defineError(
  NS,
  'end_device_already_exists',
  'already_exists',
  'end device `{device_id}` already exists',
  { attributes: ['application_id'] },
);

/** TTS's wording (identityserver): the device holding the pair is named, so it can be found. */
export const deviceEuisTaken = defineError(
  NS,
  'end_device_euis_taken',
  'already_exists',
  'an end device with JoinEUI `{join_eui}` and DevEUI `{dev_eui}` is already registered as `{device_id}` in application `{application_id}`',
);

export const notFoundApiKey = defineError(
  NS,
  'api_key_not_found',
  'not_found',
  'API key `{key_id}` not found in application `{application_id}`',
);

export const notFoundGateway = defineError(
  NS,
  'gateway_not_found',
  'not_found',
  'gateway `{gateway_id}` not found',
);

export const gatewayAlreadyExists = defineError(
  NS,
  'gateway_already_exists',
  'already_exists',
  'gateway `{gateway_id}` already exists',
);

/** Two gateways cannot share an EUI: a packet forwarder's datagrams name the gateway by it. */
export const gatewayEuiTaken = defineError(
  NS,
  'gateway_eui_taken',
  'already_exists',
  'gateway EUI `{eui}` is already registered to gateway `{taken_by}`',
);

export const queueFull = defineError(
  NS,
  'downlink_queue_full',
  'resource_exhausted',
  'downlink queue of `{device_id}` would hold {length} items, more than its capacity of {capacity}',
  { attributes: ['application_id'] },
);

/** A sealed device key that does not open: another key-encryption key sealed it (keyVault.ts). */
export const kekMismatch = defineError(
  NS,
  'kek_mismatch',
  'failed_precondition',
  'stored keys were encrypted with another key-encryption key (MOTE_KEK or <data dir>/kek): `{context}` does not decrypt',
);

export const badKekFile = defineError(
  NS,
  'bad_kek_file',
  'failed_precondition',
  'the key-encryption key file `{file}` must hold 64 hex digits',
);

export const dataDirInUse = defineError(
  NS,
  'data_dir_in_use',
  'failed_precondition',
  'another Mote is using the data directory `{data_dir}`: one SQLite file serves one instance. Stop the other, choose another MOTE_DATA_DIR, or run several instances on PostgreSQL and Redis (DATABASE_URL, REDIS_URL; docs/scale-out.md)',
);
