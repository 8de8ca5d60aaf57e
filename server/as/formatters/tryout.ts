/**
 * The console's formatter test pane: run a formatter on sample input before saving it. A script
 * failing is a result to show (`error`), not a failed request.
 */
import { asMoteError, type ErrorDetails, errorDetails } from '../../../lib/errors';
import { downChoice, type FormatterChoice, upChoice } from '../../../lib/formatters/model';
import { bytesToBase64, type Struct } from '../../../lib/messages';
import type { FormatterTestRequest } from '../../../lib/schemas/formatters';
import type { FormatterService } from './service';

export interface FormatterTestResult {
  f_port?: number;
  frm_payload?: string;
  decoded_payload?: Struct;
  warnings?: string[];
  /** Uplinks whose script has `normalizeUplink` (issue 15), as the uplink would carry them. */
  normalized_payload?: Struct[];
  normalized_payload_warnings?: string[];
  error?: ErrorDetails;
}

async function chosen(
  service: FormatterService,
  applicationId: string,
  req: FormatterTestRequest,
  direction: 'up' | 'down',
): Promise<FormatterChoice> {
  if (req.formatters) return direction === 'up' ? upChoice(req.formatters) : downChoice(req.formatters);
  if (req.device_id) return service.choice(applicationId, req.device_id, direction);
  const link = await service.getLink(applicationId);
  return direction === 'up' ? upChoice(link.default_formatters) : downChoice(link.default_formatters);
}

const decodedResult = (d: { data: Struct; warnings: string[] } | undefined): FormatterTestResult =>
  d ? { decoded_payload: d.data, ...(d.warnings.length ? { warnings: d.warnings } : {}) } : {};

export async function runFormatterTest(
  service: FormatterService,
  applicationId: string,
  req: FormatterTestRequest,
): Promise<FormatterTestResult> {
  const { engine } = service;
  // The test pane's runs take the application's turns and budget, in globals of their own.
  const scope = { applicationId };
  try {
    if (req.uplink) {
      const choice = await chosen(service, applicationId, req, 'up');
      const bytes = req.uplink.frm_payload ?? new Uint8Array();
      const decoded = await engine.decodeUplink(scope, choice, bytes, req.uplink.f_port);
      const normalized = decoded && (await engine.normalizeUplink(scope, choice, decoded.data));
      if (!normalized) return decodedResult(decoded);
      return {
        ...decodedResult(decoded),
        normalized_payload: normalized.measurements,
        ...(normalized.warnings.length ? { normalized_payload_warnings: normalized.warnings } : {}),
      };
    }
    const down = req.downlink!;
    const choice = await chosen(service, applicationId, req, 'down');
    if (down.frm_payload)
      return decodedResult(await engine.decodeDownlink(scope, choice, down.frm_payload, down.f_port));
    const out = await engine.encodeDownlink(
      scope,
      choice,
      (down.decoded_payload ?? {}) as Struct,
      down.f_port,
    );
    if (!out) return {};
    return {
      f_port: out.fPort ?? down.f_port,
      frm_payload: bytesToBase64(out.bytes),
      ...(out.warnings.length ? { warnings: out.warnings } : {}),
    };
  } catch (e) {
    const err = asMoteError(e);
    // Unknown application or device is the request's fault; anything else is the script's.
    if (err.errorClass === 'not_found' || err.errorClass === 'internal') throw e;
    return { error: errorDetails(err) };
  }
}
