/**
 * mta-under-test/: the engines under test, and the only way into them from outside (lint holds
 * other folders to this file). `MtaUnderTest` and its adapters (the reference engine in-process
 * or as a child, Postfix, any SMTP relay) are how a run drives an engine; the accounting records
 * are what an engine tells the bench. The reference engine's parts named below are the ones the
 * runner, the CLI and the benchmarks configure or read: its policies, shaping, warm-up presets,
 * list audit, service, spool, accounting log and inbound report reader.
 */

export { ACCOUNTING_RECORD_TYPES } from './accounting.ts';
export type {
  AccountingRecord,
  AccountingRecordType,
  AsyncBounceRecord,
  AttemptRecord,
  DecisionRecord,
} from './accounting.ts';
export { capabilitiesOf } from './adapters/mta-under-test.ts';
export type {
  EgressIdentity,
  LoopbackRoute,
  MtaCapability,
  MtaEnvironment,
  MtaMessage,
  MtaUnderTest,
  PauseRequest,
  ReturnMailListener,
} from './adapters/mta-under-test.ts';
export { PostfixMta } from './adapters/postfix/index.ts';
export type { PostfixMtaOptions } from './adapters/postfix/index.ts';
export { freePort } from './adapters/postfix/loopback-probe.ts';
export { referenceChildProcess } from './adapters/reference/index.ts';
export { referenceInProcess } from './adapters/reference/reference-in-process.ts';
export type { ReferenceInProcessOptions } from './adapters/reference/reference-in-process.ts';
export { relayCommand, smtpRelay } from './adapters/smtp-relay/index.ts';
export type { PreparedRelay, RelayCommandOptions, SmtpRelayOptions } from './adapters/smtp-relay/index.ts';
export {
  AccountingLogError,
  exportCsv,
  logFilesAt,
  readAccountingLog,
  UnknownFieldError,
} from './reference/accounting-log/index.ts';
export type { TornTail } from './reference/accounting-log/index.ts';
export {
  auditList,
  DEFAULT_ROLE_POLICY,
  learnKnownUnknowns,
  readListText,
  renderAuditSummary,
} from './reference/audit/index.ts';
export type { AuditReport, RolePolicy } from './reference/audit/index.ts';
export { classifyFacts, classifyNetworkError, classifyReply } from './reference/core/classify.ts';
export { GATEWAY_FAMILIES } from './reference/core/classifier/family.ts';
export type { ReplyContext, ReplyFacts, Verdict } from './reference/core/classify.ts';
export { dkimSign } from './reference/core/dkim-signer.ts';
export type { DkimKey } from './reference/core/dkim-signer.ts';
export type { EgressConfig, EgressSource } from './reference/core/egress.ts';
export type { HygieneOptions } from './reference/core/outbound-hygiene.ts';
export { basicJudgement, basicPolicy } from './reference/core/policy.ts';
export type {
  AttemptContext,
  DecisionEmitter,
  Judgement,
  SendPolicy,
  SourceChoice,
  SourceRequest,
  SuspensionRequest,
} from './reference/core/policy.ts';
export { DEFAULT_HOOK_DEADLINE_MS, guardPolicy, PolicyHookError } from './reference/guard/policy-guard.ts';
export type { PolicyGuardOptions, PolicyHook } from './reference/guard/policy-guard.ts';
export type { RetryPolicy } from './reference/core/retry-schedule.ts';
export { zoneResolver } from './reference/core/resolver.ts';
export type { MxResolver } from './reference/core/resolver.ts';
export type { ShapingConfig, ShapingConfigInput } from './reference/core/shaping/config.ts';
export { readShapingConfig } from './reference/core/shaping/read-config.ts';
export { renderResolvedShaping } from './reference/core/shaping/render.ts';
export { resolveShaping } from './reference/core/shaping/resolve.ts';
export { blockFacts, classifyBlock } from './reference/inbound/block-verdict.ts';
export type { BounceWriter } from './reference/inbound/bounce-writer.ts';
export { readInboundReport } from './reference/inbound/read-report.ts';
export type { BounceFormat, InboundReport } from './reference/inbound/report.ts';
export { startInjectionApi } from './reference/inject/http-api.ts';
export { composeComponents, referencePolicy } from './reference/policy/reference-policy.ts';
export type {
  PolicyComponent,
  PolicyPath,
  ReferencePolicy,
  ReferencePolicyOptions,
} from './reference/policy/reference-policy.ts';
export { BogusBounceDetector } from './reference/policy/bogus-bounce/index.ts';
export type { BogusBounceOptions } from './reference/policy/bogus-bounce/index.ts';
export { AdaptiveThrottle } from './reference/policy/throttle/index.ts';
export type { AdaptiveThrottleOptions } from './reference/policy/throttle/index.ts';
export { warmupAndGrid } from './reference/policy/warmup-and-grid.ts';
export type { WarmupAndGrid } from './reference/policy/warmup-and-grid.ts';
export { WARMUP_PRESETS } from './reference/policy/warmup/index.ts';
export type { WarmupPlan } from './reference/policy/warmup/index.ts';
export { ANY_POOL } from './reference/policy/warmup/planner.ts';
export { startEngineService } from './reference/service/engine-service.ts';
export type { EngineService } from './reference/service/engine-service.ts';
export {
  defaultServiceConfigInput,
  loadServiceConfig,
  resolveServiceConfig,
  ServiceConfigError,
} from './reference/service/service-config.ts';
export type { ServiceConfig } from './reference/service/service-config.ts';
export { SpoolLockedError } from './reference/spool/spool-lock.ts';
export { Spool } from './reference/spool/spool.ts';
export { SmtpClientTransport } from './reference/transport/smtp-client.ts';
export { refHeaderLine } from './reference/verp.ts';
