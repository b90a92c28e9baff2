/** Bogus-bounce detection: the detector, its options and fingerprints. */
export { BogusBounceDetector } from './detector.ts';
export type { ReviewInput } from './detector.ts';
export { BOGUS_BOUNCE_DEFAULTS, resolveBogusBounceOptions, validateBogusBounceOptions } from './options.ts';
export type { BogusBounceOptions, ResolvedBogusBounceOptions } from './options.ts';
export { GATEWAY_FINGERPRINTS, fingerprintOf } from './fingerprints.ts';
export type { GatewayFingerprint } from './fingerprints.ts';
export type { RefusalHistory, RefusalStatus } from './address-book.ts';
export { SUSPECT_REASONS } from './signals.ts';
export type { SuspectReason } from './signals.ts';
