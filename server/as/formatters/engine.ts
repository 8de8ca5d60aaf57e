/**
 * Runs one direction of one formatter: NONE does nothing (undefined), CayenneLPP runs here,
 * JavaScript goes to the sandbox pool. Every failure is a formatter MoteError. Each entry point
 * takes the scope its script runs for (protocol.ts): whose turn, budget and globals it uses.
 */
import { decodeLpp, decodeLppDownlink, encodeLppDownlink } from '../../../lib/formatters/cayennelpp';
import type {
  DecodedPayload,
  EncodedPayload,
  FormatterChoice,
  NormalizedPayload,
} from '../../../lib/formatters/model';
import type { Struct } from '../../../lib/messages';
import { formatterNotRunning, lppPayloadInvalid } from './errors';
import {
  compileScript,
  decodeDownlinkScript,
  decodeUplinkScript,
  definesNormalizer,
  encodeDownlinkScript,
  normalizeUplinkScript,
} from './javascript';
import type { ScriptRunner } from './pool';
import type { ScriptScope } from './protocol';

export interface PayloadEngine {
  decodeUplink(
    scope: ScriptScope,
    choice: FormatterChoice,
    bytes: Uint8Array,
    fPort: number,
  ): Promise<DecodedPayload | undefined>;
  /** A JavaScript formatter's optional `normalizeUplink`, given what `decodeUplink` returned. */
  normalizeUplink(
    scope: ScriptScope,
    choice: FormatterChoice,
    data: Struct,
  ): Promise<NormalizedPayload | undefined>;
  encodeDownlink(
    scope: ScriptScope,
    choice: FormatterChoice,
    data: Struct,
    fPort: number,
  ): Promise<EncodedPayload | undefined>;
  decodeDownlink(
    scope: ScriptScope,
    choice: FormatterChoice,
    bytes: Uint8Array,
    fPort: number,
  ): Promise<DecodedPayload | undefined>;
  /** Throws what evaluating a JavaScript formatter's script fails with; nothing without the pool. */
  compile(scope: ScriptScope, script: string): Promise<void>;
}

/** CayenneLPP's RangeErrors say what was wrong with the payload; anything else is a bug. */
function lpp<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) throw lppPayloadInvalid({ operation: what, reason: e.message });
    throw e;
  }
}

export function createPayloadEngine(scripts: ScriptRunner | undefined): PayloadEngine {
  const pool = (): ScriptRunner => {
    if (!scripts) throw formatterNotRunning();
    return scripts;
  };
  return {
    async decodeUplink(scope, choice, bytes, fPort) {
      if (choice.formatter === 'FORMATTER_CAYENNELPP')
        return { data: lpp('decoding', () => decodeLpp(bytes)), warnings: [] };
      if (choice.formatter === 'FORMATTER_JAVASCRIPT')
        return decodeUplinkScript(pool(), scope, choice.parameter, bytes, fPort);
      return undefined;
    },
    async normalizeUplink(scope, choice, data) {
      if (choice.formatter !== 'FORMATTER_JAVASCRIPT' || !definesNormalizer(choice.parameter))
        return undefined;
      return normalizeUplinkScript(pool(), scope, choice.parameter, data);
    },
    async encodeDownlink(scope, choice, data, fPort) {
      if (choice.formatter === 'FORMATTER_CAYENNELPP')
        return { bytes: lpp('encoding', () => encodeLppDownlink(data)), warnings: [] };
      if (choice.formatter === 'FORMATTER_JAVASCRIPT')
        return encodeDownlinkScript(pool(), scope, choice.parameter, data, fPort);
      return undefined;
    },
    async decodeDownlink(scope, choice, bytes, fPort) {
      if (choice.formatter === 'FORMATTER_CAYENNELPP')
        return { data: lpp('decoding', () => decodeLppDownlink(bytes)), warnings: [] };
      if (choice.formatter === 'FORMATTER_JAVASCRIPT')
        return decodeDownlinkScript(pool(), scope, choice.parameter, bytes, fPort);
      return undefined;
    },
    // Without the pool no script runs at all; what is stored then is checked when it runs.
    async compile(scope, script) {
      if (scripts) await compileScript(scripts, scope, script);
    },
  };
}
