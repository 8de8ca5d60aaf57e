/**
 * Refuses JavaScript formatters that do not compile before they are stored (issue 16 item 1):
 * a broken script would otherwise fail every uplink of every device that uses it.
 */
import { asMoteError } from '../../../lib/errors';
import type { MessagePayloadFormatters } from '../../../lib/formatters/model';
import type { PayloadEngine } from './engine';
import { formatterCompileFailed } from './errors';

const SCRIPTS = [
  ['up_formatter', 'up_formatter_parameter'],
  ['down_formatter', 'down_formatter_parameter'],
] as const;

export async function checkFormatters(
  engine: PayloadEngine,
  applicationId: string,
  formatters: MessagePayloadFormatters | undefined,
): Promise<void> {
  for (const [formatter, field] of SCRIPTS) {
    const script = formatters?.[field];
    if (formatters?.[formatter] !== 'FORMATTER_JAVASCRIPT' || !script) continue;
    try {
      await engine.compile({ applicationId }, script);
    } catch (e) {
      const err = asMoteError(e);
      // A busy, stopped or suspended pool says nothing about the script: that error stands.
      if (err.errorClass !== 'invalid_argument') throw e;
      const line = err.attributes.line;
      throw formatterCompileFailed({
        field,
        message: err.message,
        reason: err.name,
        line: typeof line === 'number' ? line : undefined,
      });
    }
  }
}
