import type { Right } from './rights';

/**
 * How the console writes a right: one short name everywhere (picker, key table, new key), and
 * The Things Stack console's description beside it in the picker, so a right reads the same as
 * in TTS's own console.
 */
export const rightName = (r: string) => r.replace('RIGHT_APPLICATION_', '').toLowerCase();

export const RIGHT_DESCRIPTIONS: Record<Right, string> = {
  RIGHT_APPLICATION_INFO: 'View application information',
  RIGHT_APPLICATION_SETTINGS_BASIC: 'Edit basic application settings',
  RIGHT_APPLICATION_SETTINGS_API_KEYS: 'View and edit application API keys',
  RIGHT_APPLICATION_SETTINGS_COLLABORATORS: 'View and edit application collaborators',
  RIGHT_APPLICATION_SETTINGS_PACKAGES: 'View and edit application packages and associations',
  RIGHT_APPLICATION_DELETE: 'Delete application',
  RIGHT_APPLICATION_DEVICES_READ: 'View devices in application',
  RIGHT_APPLICATION_DEVICES_WRITE: 'Create devices in application',
  RIGHT_APPLICATION_DEVICES_READ_KEYS: 'View device keys in application',
  RIGHT_APPLICATION_DEVICES_WRITE_KEYS: 'Edit device keys in application',
  RIGHT_APPLICATION_TRAFFIC_READ: 'Read application traffic (uplink and downlink)',
  RIGHT_APPLICATION_TRAFFIC_UP_WRITE: 'Write uplink application traffic',
  RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE: 'Write downlink application traffic',
  RIGHT_APPLICATION_LINK:
    'Link as Application to a Network Server for traffic exchange (read uplink, write downlink)',
  RIGHT_APPLICATION_ALL: 'All possible application rights, including ones added later',
};
