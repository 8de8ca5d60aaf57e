/**
 * The MAC commands Mote answers (LoRaWAN 1.0.3 §5): LinkCheckReq (§5.1) and DeviceTimeReq
 * (§5.9). Every other command is logged and skipped: Mote does not drive ADR, channels or
 * timing yet, and an answer to a request it never sent means nothing to it.
 */
import type { EndDeviceIds } from '../../lib/messages';
import type { NsCore } from './context';
import { deviceTimeAt, type MacCommand, type ParsedMacCommands } from './lorawan';
import type { RadioMetadata } from './ports';
import { linkMargin } from './radio';

export function answerMacCommands(
  core: NsCore,
  ids: EndDeviceIds,
  parsed: ParsedMacCommands,
  radios: readonly RadioMetadata[],
  receivedAt: Date,
): MacCommand[] {
  const answers: MacCommand[] = [];
  for (const command of parsed.commands) {
    switch (command.name) {
      case 'LinkCheckReq':
        answers.push({ name: 'LinkCheckAns', margin: linkMargin(radios), gatewayCount: radios.length });
        break;
      case 'DeviceTimeReq':
        // §5.9: the time at the end of the uplink's transmission; receivedAt is that, give or take
        // the backhaul, which the fraction (1/256 s) does not resolve anyway.
        answers.push({ name: 'DeviceTimeAns', ...deviceTimeAt(receivedAt.getTime()) });
        break;
      default:
        core.log.debug(
          {
            event: 'ns.mac.skip',
            device_id: ids.device_id,
            command: command.name === 'other' ? command.command : command.name,
          },
          'MAC command not handled',
        );
    }
  }
  if (parsed.stopped)
    core.log.info(
      { event: 'ns.mac.stop', device_id: ids.device_id, ...parsed.stopped },
      'MAC commands after an unknown or truncated one skipped',
    );
  return answers;
}
