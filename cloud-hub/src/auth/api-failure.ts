/** Errors of the user-facing API (auth, OTA, dashboard), with stable codes mapped to HTTP statuses in one place. */
export const API_FAILURE_STATUS = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  VEHICLE_NOT_ALLOWED: 403,
  CSRF: 403,
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
  CONFLICT: 409,
} as const;
export type ApiFailureCode = keyof typeof API_FAILURE_STATUS;

/** A refused user API request; the message never carries a secret. */
export class ApiFailure extends Error {
  constructor(readonly code: ApiFailureCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiFailure';
  }
  get status(): (typeof API_FAILURE_STATUS)[ApiFailureCode] {
    return API_FAILURE_STATUS[this.code];
  }
}
