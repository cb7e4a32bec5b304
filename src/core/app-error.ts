/**
 * Every failure hookd reports on purpose is an AppError; the one error handler in
 * src/http/error-handler.ts turns it into `{error: {code, message, details?}}`.
 */
export class AppError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(code: string, message: string, statusCode: number, details?: unknown, headers: Record<string, string> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.statusCode = statusCode;
    this.details = details;
    this.headers = headers;
  }
}

export interface FieldProblem {
  /** JSON path of the offending value, e.g. `[3].session_id` or `data.a.b`. */
  field: string;
  message: string;
  index?: number;
}

export class ValidationError extends AppError {
  readonly problems: FieldProblem[];
  constructor(problems: FieldProblem[], statusCode = 400) {
    const first = problems[0];
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    super('validation_failed', first ? `${first.field}: ${first.message}${more}` : 'invalid input', statusCode, {
      problems,
    });
    this.problems = problems;
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string, details?: unknown) {
    super('payload_too_large', message, 413, details);
  }
}

export class NotFoundError extends AppError {
  /** `code` names what is missing when a client acts on it, e.g. `session_not_found`. */
  constructor(message: string, code = 'not_found', details?: unknown) {
    super(code, message, 404, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'missing or invalid bearer token') {
    super('unauthorized', message, 401, undefined, { 'WWW-Authenticate': 'Bearer' });
  }
}

export class ForbiddenError extends AppError {
  constructor(code: string, message: string) {
    super(code, message, 403);
  }
}

export class NotImplementedForStorageError extends AppError {
  constructor(storage: string, what: string) {
    super('not_supported_by_storage', `${what} is not available with ${storage} storage; use sqlite or postgres`, 501);
  }
}

/** Answered with 503 + Retry-After: the client should try again shortly. */
export class UnavailableError extends AppError {
  constructor(code: string, message: string, retryAfterSeconds = 1) {
    super(code, message, 503, undefined, { 'Retry-After': String(retryAfterSeconds) });
  }
}

export class ConfigError extends AppError {
  constructor(message: string) {
    super('invalid_configuration', message, 500);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string) {
    super(code, message, 409);
  }
}
