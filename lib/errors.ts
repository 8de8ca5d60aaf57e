/**
 * Errors are values with a stable name, as in The Things Stack: each is declared once with its
 * class, and each frontend (HTTP, MQTT down/failed, console) translates the class at its edge.
 */
export type ErrorClass =
  | 'invalid_argument'
  | 'unauthenticated'
  | 'permission_denied'
  | 'not_found'
  | 'already_exists'
  | 'resource_exhausted'
  | 'failed_precondition'
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
  internal: 13,
  unavailable: 14,
  unauthenticated: 16,
};

export const httpStatus: Record<ErrorClass, number> = {
  invalid_argument: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  already_exists: 409,
  failed_precondition: 409,
  resource_exhausted: 429,
  unavailable: 503,
  internal: 500,
};

export type ErrorAttributes = Record<string, string | number | boolean | string[] | undefined>;

/**
 * A brand instead of `instanceof`: Next bundles route handlers apart from the custom server, so
 * an error thrown by the core is an instance of another copy of this class.
 */
const BRAND = Symbol.for('mote.error');

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

/** The TTS `ErrorDetails` shape, used in `down/failed` and in HTTP `details`. */
export interface ErrorDetails {
  namespace: string;
  name: string;
  message_format: string;
  attributes?: ErrorAttributes;
  correlation_id?: string;
  code: number;
}

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

/** Anything thrown that is not a MoteError is an internal error; its text is not shown. */
export function asMoteError(e: unknown): MoteError {
  if (isMoteError(e)) return e;
  return new MoteError('internal', 'internal', 'internal error');
}

export const errors = {
  invalidArgument: (name: string, message: string, attributes?: ErrorAttributes) =>
    new MoteError('invalid_argument', name, message, attributes),
  notFound: (name: string, message: string, attributes?: ErrorAttributes) =>
    new MoteError('not_found', name, message, attributes),
  alreadyExists: (name: string, message: string, attributes?: ErrorAttributes) =>
    new MoteError('already_exists', name, message, attributes),
  permissionDenied: (message: string, attributes?: ErrorAttributes) =>
    new MoteError('permission_denied', 'insufficient_rights', message, attributes),
  unauthenticated: (name: string, message: string) => new MoteError('unauthenticated', name, message),
};
