// One error body for the API: `{"error": {"code", "message", "details"}}` (the PassiveTotal
// routes under /v2 use its own `{"error": {"message"}}`). Every bad input is a 4xx; a 500 is a
// bug and says only that.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ServiceError, type ServiceErrorKind } from '../services/errors.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string): ApiError => new ApiError(404, 'not_found', `${what} not found`);
export const badRequest = (message: string, details?: unknown): ApiError => new ApiError(400, 'invalid_request', message, details);
export const forbidden = (message = 'your role does not allow this'): ApiError => new ApiError(403, 'forbidden', message);
export const unauthorized = (message = 'authentication required'): ApiError => new ApiError(401, 'unauthorized', message);

/** How a service's refusal is answered: its kind's status and code, its message as it is. */
const SERVICE_ERROR: Record<ServiceErrorKind, { status: number; code: string }> = {
  invalid: { status: 400, code: 'invalid_request' },
  not_found: { status: 404, code: 'not_found' },
  conflict: { status: 409, code: 'conflict' },
  forbidden: { status: 403, code: 'forbidden' },
};

export function fromServiceError(e: ServiceError): ApiError {
  const { status, code } = SERVICE_ERROR[e.kind];
  return new ApiError(status, code, e.message);
}

function isPassiveTotal(request: FastifyRequest): boolean {
  return request.url.startsWith('/v2/');
}

function body(request: FastifyRequest, code: string, message: string, details?: unknown): unknown {
  return isPassiveTotal(request) ? { error: { message } } : { error: { code, message, ...(details !== undefined ? { details } : {}) } };
}

export function errorHandler(error: FastifyError | ApiError | ServiceError, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof ServiceError) error = fromServiceError(error);
  if (error instanceof ApiError) {
    void reply.status(error.status).send(body(request, error.code, error.message, error.details));
    return;
  }
  if (error.validation) {
    void reply.status(400).send(body(request, 'invalid_request', `invalid ${error.validationContext ?? 'request'}: ${error.message}`, error.validation));
    return;
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Fastify's own 4xx: body too large, bad JSON, unsupported media type…
    void reply.status(status).send(body(request, error.code ? error.code.toLowerCase() : 'invalid_request', error.message));
    return;
  }
  request.log.error({ err: error }, 'unhandled error');
  void reply.status(500).send(body(request, 'internal', 'internal error'));
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  void reply.status(404).send(body(request, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
}
