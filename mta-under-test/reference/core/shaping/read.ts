/** A value read from untyped or human input, or the reason it could not be read: parsing errors as data. */
export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };
