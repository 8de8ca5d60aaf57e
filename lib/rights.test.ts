import { describe, expect, it } from 'vitest';
import {
  APPLICATION_RIGHTS,
  changedRights,
  expandRights,
  hasRights,
  missingRights,
  parseRight,
  rightFlag,
} from './rights';

describe('rights', () => {
  it('has the 15 application rights of TTS', () => {
    expect(APPLICATION_RIGHTS).toHaveLength(15);
  });

  it.each([
    ['RIGHT_APPLICATION_INFO', 'RIGHT_APPLICATION_INFO'],
    ['APPLICATION_TRAFFIC_READ', 'RIGHT_APPLICATION_TRAFFIC_READ'],
    ['right_application_link', 'RIGHT_APPLICATION_LINK'],
    ['APPLICATION_NOPE', undefined],
    ['RIGHT_GATEWAY_ALL', undefined],
  ])('parses %s', (input, expected) => {
    expect(parseRight(input)).toBe(expected);
  });

  it('expands _LINK to info, traffic read and downlink write', () => {
    expect([...expandRights(['RIGHT_APPLICATION_LINK'])].sort()).toEqual([
      'RIGHT_APPLICATION_INFO',
      'RIGHT_APPLICATION_LINK',
      'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE',
      'RIGHT_APPLICATION_TRAFFIC_READ',
    ]);
  });

  it('expands _ALL to every right', () => {
    expect(expandRights(['RIGHT_APPLICATION_ALL']).size).toBe(15);
    expect(hasRights(['RIGHT_APPLICATION_ALL'], 'RIGHT_APPLICATION_DELETE', 'RIGHT_APPLICATION_LINK')).toBe(
      true,
    );
  });

  it('does not let a right imply more than it says', () => {
    expect(hasRights(['RIGHT_APPLICATION_TRAFFIC_READ'], 'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE')).toBe(false);
    expect(hasRights(['RIGHT_APPLICATION_LINK'], 'RIGHT_APPLICATION_TRAFFIC_UP_WRITE')).toBe(false);
  });

  it('names the rights a caller lacks to grant', () => {
    expect(missingRights(['RIGHT_APPLICATION_LINK'], ['RIGHT_APPLICATION_TRAFFIC_READ'])).toEqual([]);
    expect(missingRights(['RIGHT_APPLICATION_LINK'], ['RIGHT_APPLICATION_ALL'])).toContain(
      'RIGHT_APPLICATION_DELETE',
    );
  });

  it('makes ttn-lw-cli flags', () => {
    expect(rightFlag('RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE')).toBe('--right-application-traffic-down-write');
  });

  it('finds the rights a change adds or removes, expanded', () => {
    expect(changedRights(['RIGHT_APPLICATION_INFO'], ['RIGHT_APPLICATION_INFO'])).toEqual([]);
    expect(changedRights(['RIGHT_APPLICATION_LINK'], ['RIGHT_APPLICATION_INFO']).sort()).toEqual([
      'RIGHT_APPLICATION_LINK',
      'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE',
      'RIGHT_APPLICATION_TRAFFIC_READ',
    ]);
    expect(changedRights(['RIGHT_APPLICATION_ALL'], ['RIGHT_APPLICATION_INFO'])).toHaveLength(14);
    expect(changedRights(['RIGHT_APPLICATION_INFO'], ['RIGHT_APPLICATION_ALL'])).toHaveLength(14);
  });
});
