import type { Kysely } from 'kysely';
import * as m001 from './001_base';
import * as m002 from './002_queue_lane_history_seq';
import * as m003 from './003_device_keys';
import * as m004 from './004_gateways';
import * as m005 from './005_version_ids';
import * as m006 from './006_queue_lengths';

export type Dialect = 'sqlite' | 'postgres';

export interface Migration {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

/** Applied in key order; append, never edit a migration that has shipped. */
export const migrations: Record<string, Migration> = {
  '001_base': m001,
  '002_queue_lane_history_seq': m002,
  '003_device_keys': m003,
  '004_gateways': m004,
  '005_version_ids': m005,
  '006_queue_lengths': m006,
};
