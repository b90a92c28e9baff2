/**
 * A listener that could not bind because its address is taken: the user's configuration (or
 * another running process), reported in one line with exit 2, never as an internal error.
 */
export interface AddressInUseError extends Error {
  readonly code: 'EADDRINUSE';
  readonly address?: string;
  readonly port?: number;
}

export function isAddressInUse(error: unknown): error is AddressInUseError {
  return error instanceof Error && 'code' in error && error.code === 'EADDRINUSE';
}
