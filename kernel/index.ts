/**
 * kernel/: what the world and the engines share, and the only way into it from outside
 * (lint holds other folders to this file). Time (clock, schedulers), chance (seeded streams),
 * SMTP replies and stages, the taxonomy of causes and classes, errors, address helpers,
 * loopback listening and the transport contract. It imports nothing of the bench.
 */

export { domainOf } from './address.ts';
export { DAY_MS, DEFAULT_EPOCH_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from './clock/clock.ts';
export type { Clock, EpochMs, Milliseconds, Scheduler, TimerHandle } from './clock/clock.ts';
export { formatDuration, parseDuration, readDuration, unitMs } from './clock/duration.ts';
export { EventHeap } from './clock/event-heap.ts';
export { ratePer, readRate } from './clock/rate.ts';
export { RealScheduler, wallClockMs } from './clock/real-clock.ts';
export { scaledScheduler } from './clock/scaled-clock.ts';
export { VirtualScheduler } from './clock/virtual-scheduler.ts';
export { assert, isUsersToFix, MailbenchError } from './errors.ts';
export type { ErrorCode } from './errors.ts';
export { BoundedMemo, memoised } from './memo/bounded-memo.ts';
export { isLoopbackIpv4 } from './net/loopback.ts';
export { listenSmtp } from './net/smtp-listen.ts';
export { Rng } from './random/rng.ts';
export { isEnhancedCode, isPositive, parseReply, reply, replyText } from './smtp/reply.ts';
export type { EnhancedCode, SmtpReply } from './smtp/reply.ts';
export { fieldBlock, foldField, headerSection, multipartReport, rfc5322Date } from './smtp/report-format.ts';
export type { ReportEnvelope } from './smtp/report-format.ts';
export type { SmtpStage } from './smtp/stage.ts';
export { ACTIONS, CAUSES, CLASSES, isDeliveredCause, RIGHT_ACTION } from './taxonomy.ts';
export type { Action, Cause, Class } from './taxonomy.ts';
export type {
  ConnectOutcome,
  ConnectParams,
  OutboundMessage,
  RecipientOutcome,
  TransactionOutcome,
  Transport,
  TransportSession,
} from './transport/transport.ts';
