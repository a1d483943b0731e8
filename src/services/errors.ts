// What a service refuses, by kind, for every caller to present its own way: the API maps a kind
// to an HTTP status (api/errors.ts), the CLI to exit code 2 with the message on one line
// (cli/store-options.ts withStore). The message is the user's: it says what and why.
export type ServiceErrorKind = 'invalid' | 'not_found' | 'conflict' | 'forbidden';

export class ServiceError extends Error {
  constructor(
    readonly kind: ServiceErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export const invalid = (message: string): ServiceError => new ServiceError('invalid', message);
/** `${what} not found`, the words the API has always answered with. */
export const notFound = (what: string): ServiceError => new ServiceError('not_found', `${what} not found`);
export const conflict = (message: string): ServiceError => new ServiceError('conflict', message);
export const forbidden = (message: string): ServiceError => new ServiceError('forbidden', message);
