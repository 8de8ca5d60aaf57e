import { frequencyPlanNotFound } from './errors';
import { EU_863_870 } from './eu_863_870';
import type { FrequencyPlan } from './types';
import { US_902_928_FSB_2 } from './us_902_928_fsb_2';

/** Every frequency plan Mote knows, by TTS ID: a new plan is a table file and a line here. */
export const FREQUENCY_PLANS = { EU_863_870, US_902_928_FSB_2 } as const satisfies Record<
  string,
  FrequencyPlan
>;

export type FrequencyPlanId = keyof typeof FREQUENCY_PLANS;

export const isFrequencyPlanId = (id: string): id is FrequencyPlanId => Object.hasOwn(FREQUENCY_PLANS, id);

/** The plan a device's `frequency_plan_id` names; `not_found` (as TTS) for any other ID. */
export function frequencyPlan(id: string): FrequencyPlan {
  if (!isFrequencyPlanId(id)) throw frequencyPlanNotFound({ id });
  return FREQUENCY_PLANS[id];
}
