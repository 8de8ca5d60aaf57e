/**
 * Errors are values with a stable name, as in The Things Stack (`pkg/errors`): each is declared
 * once with `defineError` — namespace, name, class and message format — and each frontend (HTTP,
 * MQTT `down/failed`, console) translates the class at its edge. Code decides on `name` or class
 * (`definition.is(e)`, `e.errorClass`), never on the message text.
 */
export type ErrorClass =
  | 'invalid_argument'
  | 'unauthenticated'
  | 'permission_denied'
  | 'not_found'
  | 'already_exists'
  | 'resource_exhausted'
  | 'failed_precondition'
  | 'aborted'
  | 'unavailable'
  | 'internal';

/** gRPC status codes, which TTS puts in `code` of its JSON errors. */
export const grpcCode: Record<ErrorClass, number> = {
  invalid_argument: 3,
  not_found: 5,
  already_exists: 6,
  permission_denied: 7,
  resource_exhausted: 8,
  failed_precondition: 9,
  aborted: 10,
  internal: 13,
  unavailable: 14,
  unauthenticated: 16,
};

/** As grpc-gateway maps the gRPC codes. */
export const httpStatus: Record<ErrorClass, number> = {
  invalid_argument: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  already_exists: 409,
  failed_precondition: 409,
  aborted: 409,
  resource_exhausted: 429,
  unavailable: 503,
  internal: 500,
};

export type AttributeValue = string | number | boolean | string[];
export type ErrorAttributes = Record<string, AttributeValue | undefined>;

/**
 * A brand instead of `instanceof`: Next bundles route handlers apart from the custom server, so
 * an error thrown by the core is an instance of another copy of this class.
 */
const BRAND = Symbol.for('mote.error');

/** Built by an ErrorDefinition (defineError); nothing else constructs one. */
export class MoteError extends Error {
  readonly [BRAND] = true;
  readonly errorClass: ErrorClass;
  readonly namespace: string;
  readonly attributes: ErrorAttributes;

  constructor(
    errorClass: ErrorClass,
    name: string,
    message: string,
    attributes: ErrorAttributes = {},
    namespace = 'pkg/mote',
  ) {
    super(message);
    this.name = name;
    this.errorClass = errorClass;
    this.attributes = attributes;
    this.namespace = namespace;
  }

  get code(): number {
    return grpcCode[this.errorClass];
  }
}

export const isMoteError = (e: unknown): e is MoteError =>
  typeof e === 'object' && e !== null && (e as { [BRAND]?: boolean })[BRAND] === true;

/** The `{name}` arguments of a message format, e.g. `length` and `max` of "`{length}` > `{max}`". */
export type FormatArguments<F extends string> = F extends `${string}{${infer A}}${infer Rest}`
  ? A | FormatArguments<Rest>
  : never;

/**
 * What an error is built with: a value for every argument of its format, and the other declared
 * attributes (present, possibly undefined). Nothing else: an attribute is declared or it is a typo.
 */
export type AttributesOf<F extends string, P extends string> = {
  [A in FormatArguments<F>]: AttributeValue;
} & {
  [A in Exclude<P, FormatArguments<F>>]: AttributeValue | undefined;
};

export interface ErrorDefinition<F extends string = string, P extends string = string> {
  /** Builds the error: the message rendered from `messageFormat` and `attributes`. */
  (...attributes: [FormatArguments<F> | P] extends [never] ? [] : [AttributesOf<F, P>]): MoteError;
  readonly namespace: string;
  readonly name: string;
  readonly errorClass: ErrorClass;
  readonly messageFormat: F;
  /** Whether `e` is an error of this name (from any definition of it, as TTS's `errors.Resemble`). */
  is(e: unknown): e is MoteError;
}

export interface DefineOptions<F extends string, P extends string> {
  /** Attributes beyond the format's arguments, published in `ErrorDetails.attributes`. */
  attributes?: readonly P[];
  /**
   * Format arguments that only render the message and are left out of `attributes` (TTS sends
   * only public attributes): free text such as a parser's complaint. Every other attribute an
   * error is built with is published, in the order given.
   */
  messageOnly?: readonly FormatArguments<F>[];
}

const renderValue = (v: AttributeValue | undefined): string =>
  v === undefined ? '' : Array.isArray(v) ? v.join(', ') : String(v);

/**
 * Declares an error once, as TTS's `errors.Define…(name, messageFormat, publicAttributes…)`:
 * the returned constructor takes the attributes and renders each `{argument}` of the format
 * from them. Several definitions may share a public `name` (`invalid_field`,
 * `insufficient_rights`), since clients match on it; each has its own format.
 */
export function defineError<const F extends string, const P extends string = never>(
  namespace: string,
  name: string,
  errorClass: ErrorClass,
  messageFormat: F,
  options: DefineOptions<F, P> = {},
): ErrorDefinition<F, P> {
  const hidden = new Set<string>(options.messageOnly ?? []);
  const parts = messageFormat.split(/\{(\w+)\}/);
  const render = (attributes: ErrorAttributes) => {
    // split() with one capture group alternates text and placeholder names: text, name, text, …
    let message = parts[0] ?? '';
    for (let i = 1; i < parts.length; i += 2)
      message += renderValue(attributes[parts[i] ?? '']) + (parts[i + 1] ?? '');
    return message;
  };
  const publicOf = (attributes: ErrorAttributes): ErrorAttributes => {
    if (hidden.size === 0) return attributes;
    const out: ErrorAttributes = {};
    for (const [key, value] of Object.entries(attributes)) if (!hidden.has(key)) out[key] = value;
    return out;
  };
  const build = (attributes: ErrorAttributes = {}) =>
    new MoteError(errorClass, name, render(attributes), publicOf(attributes), namespace);
  // A function's own `name` is read-only: define it rather than assign it.
  Object.defineProperty(build, 'name', { value: name });
  return Object.assign(build as unknown as ErrorDefinition<F, P>, {
    namespace,
    errorClass,
    messageFormat,
    is: (e: unknown): e is MoteError => isMoteError(e) && e.name === name && e.namespace === namespace,
  });
}

/** Anything thrown that is not a MoteError: its text is not shown. */
export const internalError = defineError('pkg/mote', 'internal', 'internal', 'internal error');

/** The TTS `ErrorDetails` shape, used in `down/failed` and in HTTP `details`. */
export interface ErrorDetails {
  namespace: string;
  name: string;
  message_format: string;
  attributes?: ErrorAttributes;
  correlation_id?: string;
  code: number;
}

/**
 * `message_format` carries the rendered message, as Mote always has (TTS sends the format and
 * lets the client render it from `attributes`; Mote's message-only arguments are not public).
 */
export function errorDetails(e: MoteError, correlationId?: string): ErrorDetails {
  const details: ErrorDetails = {
    namespace: e.namespace,
    name: e.name,
    message_format: e.message,
    code: e.code,
  };
  if (Object.keys(e.attributes).length > 0) details.attributes = e.attributes;
  if (correlationId) details.correlation_id = correlationId;
  return details;
}

/** grpc-gateway wraps each detail in a `google.protobuf.Any`: its type URL comes first. */
export const ERROR_DETAILS_TYPE = 'type.googleapis.com/ttn.lorawan.v3.ErrorDetails';

/** `details[0]` of an HTTP error, as TTS's gateway sends it. */
export const httpErrorDetails = (e: MoteError) => ({ '@type': ERROR_DETAILS_TYPE, ...errorDetails(e) });

/** Anything thrown that is not a MoteError is an internal error; its text is not shown. */
export function asMoteError(e: unknown): MoteError {
  if (isMoteError(e)) return e;
  return internalError();
}
