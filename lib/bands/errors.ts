import { defineError } from '../errors';

/** Named as TTS names them (`pkg/frequencyplans`, `pkg/band`), so clients matching on `name` agree. */
export const frequencyPlanNotFound = defineError(
  'pkg/frequencyplans',
  'not_found',
  'not_found',
  'frequency plan `{id}` not found',
);

export const dataRateNotFound = defineError(
  'pkg/band',
  'data_rate_not_found',
  'invalid_argument',
  'no data rate with index `{index}` in frequency plan `{frequency_plan_id}`',
);

export const modulationNotFound = defineError(
  'pkg/band',
  'data_rate_not_found',
  'invalid_argument',
  'no {direction} data rate `{data_rate}` in frequency plan `{frequency_plan_id}`',
);

export const uplinkChannelNotFound = defineError(
  'pkg/band',
  'uplink_channel_not_found',
  'not_found',
  'no uplink channel at {frequency} Hz in frequency plan `{frequency_plan_id}`',
);

export const rx1DataRateNotFound = defineError(
  'pkg/band',
  'rx1_data_rate_not_found',
  'invalid_argument',
  'no RX1 data rate for uplink DR{uplink_dr} with RX1DROffset {rx1_dr_offset} in frequency plan `{frequency_plan_id}`',
);
