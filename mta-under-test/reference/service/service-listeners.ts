/**
 * The service's listeners, all on its loopback address: the inbound listener for DSNs and
 * complaints (joined to the engine's messages by the report intake), the HTTP injection API and
 * the SMTP submission listener (both through the admission budget), and the admin API. Each is
 * added to `opened` as it binds, so a start that fails closes what it had opened.
 */
import type { RealScheduler } from '../../../kernel/index.ts';
import { startAdminApi } from '../admin/admin-api.ts';
import type { ReferenceEngine } from '../core/engine.ts';
import type { LoopbackListener } from '../http/loopback-server.ts';
import { ReportIntake } from '../inbound/intake.ts';
import { startInboundListener } from '../inbound/listener.ts';
import { startInjectionApi } from '../inject/http-api.ts';
import type { EnqueueInput } from '../inject/http-api.ts';
import { startSubmissionListener } from '../inject/smtp-submission.ts';
import type { Spool } from '../spool/spool.ts';
import { DEFAULT_ADMISSION_LIMITS, admission } from './admission.ts';
import type { ServiceConfig } from './service-config.ts';

export interface ServiceListenerContext {
  readonly config: ServiceConfig;
  readonly engine: ReferenceEngine;
  readonly spool: Spool;
  readonly scheduler: RealScheduler;
  /** Makes messages durable, then hands them to the engine; refuses while the engine stops. */
  readonly enqueue: (inputs: readonly EnqueueInput[]) => Promise<readonly string[]>;
}

export interface ServiceListeners {
  readonly http: LoopbackListener;
  readonly admin: LoopbackListener;
  readonly submission: LoopbackListener | null;
  readonly inbound: LoopbackListener;
  readonly intake: ReportIntake;
}

export async function startServiceListeners(
  context: ServiceListenerContext,
  opened: { close(): Promise<void> }[],
): Promise<ServiceListeners> {
  const { config, engine, spool, enqueue } = context;
  const room = admission({ ...DEFAULT_ADMISSION_LIMITS, ...config.admission }, () => spool.stats());
  const intake = new ReportIntake({
    lookup: { byMessageId: (id) => engine.knownMessage(id) },
    clock: context.scheduler,
    ...(config.verp === undefined ? {} : { verp: config.verp }),
    onRecord: (record) => engine.takeInbound(record),
  });
  const address = config.listenAddress;
  const inbound = await startInboundListener({
    address,
    port: config.ports.inbound,
    hostname: config.hostname,
    onReport: (delivery) => void intake.take(delivery.report),
  });
  opened.push(inbound);
  const pools = new Set(config.egress.pools.map((pool) => pool.name));
  const token = config.bearerToken === undefined ? {} : { bearerToken: config.bearerToken };
  const http = await startInjectionApi({ address, port: config.ports.http, enqueue, pools, admission: room, ...token });
  opened.push(http);
  const admin = await startAdminApi({
    address,
    port: config.ports.admin,
    admin: engine,
    ...token,
    extraMetrics: () => {
      const stats = spool.stats();
      return {
        mailbench_spool_fsyncs_total: stats.fsyncs,
        mailbench_spool_live_messages: stats.liveMessages,
        mailbench_spool_live_bytes: stats.liveBytes,
        mailbench_spool_failed_writes_total: stats.failedWrites,
        mailbench_spool_recovered_recipients: stats.recoveredRecipients,
        mailbench_injections_refused_total: room.refused,
      };
    },
  });
  opened.push(admin);
  const accounts = Object.fromEntries(
    Object.entries(config.submissionUsers).map(([user, password]) => [user, { password }]),
  );
  const submission =
    Object.keys(accounts).length === 0
      ? null
      : await startSubmissionListener({
          address,
          port: config.ports.submission,
          enqueue,
          pools,
          accounts,
          admission: room,
        });
  if (submission !== null) opened.push(submission);
  return { http, admin, submission, inbound, intake };
}
