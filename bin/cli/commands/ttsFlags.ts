/**
 * ttn-lw-cli end-device flags that a TTS user pastes but Mote has no use for (class B/C, MAC
 * settings, 1.1 keys, …): accepted and named on stderr, so a command line copied from TTS's
 * docs runs instead of stopping at the first flag. Anything else unknown is still an error, so
 * a typo is not silently dropped.
 */
import type { Command } from 'commander';

/** Flags (or, ending in '.', flag families) of `ttn-lw-cli end-devices create|set`. */
const TTS_DEVICE_FLAGS = [
  'defaults',
  'touch',
  'with-root-keys',
  'with-session',
  'request-dev-eui',
  'supports-class-b',
  'supports-class-c',
  'multicast',
  'resets-join-nonces',
  'skip-payload-crypto',
  'skip-payload-crypto-override',
  'net-id',
  'attributes',
  'service-profile-id',
  'network-server-address',
  'network-server-kek-label',
  'application-server-address',
  'application-server-id',
  'application-server-kek-label',
  'join-server-address',
  'activated-at',
  'last-seen-at',
  'battery-percentage',
  'serial-number',
  'vendor-id',
  'vendor-profile-id',
  'power-state',
  'downlink-margin',
  'min-frequency',
  'max-frequency',
  'max-eirp',
  'provisioner-id',
  'provisioning-data',
  'root-keys.',
  'session.',
  'mac-settings.',
  'mac-state.',
  'pending-mac-state.',
  'pending-session.',
  'locations.',
  'claim-authentication-code.',
  'lora-alliance-profile-ids.',
  'picture.',
];

/** Flags that take no value in ttn-lw-cli, so the next word is not theirs. */
const BOOLEAN =
  /^(defaults|touch|with-root-keys|with-session|request-dev-eui|supports-class-[bc]|multicast|resets-join-nonces|skip-payload-crypto(-override)?|mac-settings\.[a-z0-9.-]*(use|supports|resets)[a-z0-9.-]*)$/;

const isTtsFlag = (name: string) =>
  TTS_DEVICE_FLAGS.some((f) => (f.endsWith('.') ? name.startsWith(f) : name === f));

/** Splits `args` into what `c` declares and the TTS flags it ignores (each with its value). */
export function splitIgnored(args: string[], c: Command): { kept: string[]; ignored: string[] } {
  const declared = new Set(c.options.flatMap((o) => [o.long, o.short].filter(Boolean) as string[]));
  const kept: string[] = [];
  const ignored: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      kept.push(...args.slice(i));
      break;
    }
    const flag = arg.startsWith('--') ? arg.split('=', 1)[0] : undefined;
    const name = flag?.slice(2) ?? '';
    if (!flag || declared.has(flag) || !isTtsFlag(name)) {
      kept.push(arg);
      continue;
    }
    ignored.push(flag);
    const next = args[i + 1];
    if (!arg.includes('=') && !BOOLEAN.test(name) && next !== undefined && !next.startsWith('-')) i++;
  }
  return { kept, ignored };
}

/** Lets `c` take pasted ttn-lw-cli flags, naming on stderr those it ignores. */
export function acceptTtsFlags(c: Command): Command {
  const parse = c.parseOptions.bind(c);
  c.parseOptions = (args: string[]) => {
    const { kept, ignored } = splitIgnored(args, c);
    if (ignored.length > 0)
      process.stderr.write(`mote: ignored (Mote does not use them): ${[...new Set(ignored)].join(' ')}\n`);
    return parse(kept);
  };
  return c;
}
