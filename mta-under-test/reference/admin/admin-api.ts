/**
 * The engine's admin HTTP API (JSON over node:http, loopback only), KumoMTA's admin endpoints
 * in small (research/engines.md §3.7). It only translates: every answer comes from, and every
 * change goes to, the `EngineAdmin` the engine core implements.
 *
 *   GET  /v1/queues    the snapshot: scheduled and ready queues, suspensions; ?source= ?site= ?provider=
 *   POST /v1/suspend   { source?, site?, provider?, duration, reason } → admin.suspend
 *   POST /v1/resume    { source?, site?, provider? }                   → admin.resume
 *   GET  /metrics      Prometheus text format 0.0.4
 *   GET  /healthz      { ok: true }, without a token, for liveness probes
 *
 * Bad input is 400 with every problem named by path; a refusal by the engine (an unknown
 * source, nothing to resume) 409 with the engine's message; a missing or wrong bearer token
 * 401; an unknown route 404 listing the routes; a known route with the wrong method 405.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdminResult, EngineAdmin } from '../core/admin-view.ts';
import {
  HttpError,
  authorizeBearer,
  countProblems,
  readJsonBody,
  requireJsonContentType,
  sendFailure,
  sendJson,
} from '../http/json-http.ts';
import { listenOnLoopback } from '../http/loopback-server.ts';
import type { LoopbackListener } from '../http/loopback-server.ts';
import type { Checked } from './checked.ts';
import { PROMETHEUS_CONTENT_TYPE, renderMetrics } from './metrics.ts';
import { filterSnapshot, readQueueFilter } from './queue-filter.ts';
import { readResumeRequest, readSuspendRequest } from './request.ts';

export interface AdminApiOptions {
  /** A 127.0.0.0/8 address; anything else is refused (DESIGN rule 6). */
  readonly address: string;
  /** @defaultValue 0 (an ephemeral port) */
  readonly port?: number;
  readonly admin: EngineAdmin;
  /** When set, every route but /healthz needs `Authorization: Bearer <token>`. */
  readonly bearerToken?: string;
  /**
   * Numbers the engine service adds to each scrape by full metric name, read at scrape time
   * (`{ mailbench_spool_fsyncs_total: spool.stats().fsyncs }`); `_total` names are counters.
   */
  readonly extraMetrics?: () => Readonly<Record<string, number>>;
}

export type AdminApi = LoopbackListener;

/** Admin bodies are a few fields; anything bigger is a mistake, refused before parsing. */
export const ADMIN_BODY_BYTES_MAX = 64 * 1024;

type Handler = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>;
interface Route {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly authorized: boolean;
  readonly handle: Handler;
}

/** The 400 of a request that did not read. */
function orRefuse<T>(checked: Checked<T>, what: string): T {
  if (!checked.ok) throw new HttpError(400, `${countProblems(checked.problems)}; ${what}`, checked.problems);
  return checked.value;
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  requireJsonContentType(request);
  return readJsonBody(request, ADMIN_BODY_BYTES_MAX);
}

/** 200 with the engine's detail and the request echoed, or 409 with the engine's message. */
function sendAdminResult(response: ServerResponse, result: AdminResult, echo: Record<string, unknown>): void {
  if (!result.ok) throw new HttpError(409, result.message);
  sendJson(response, 200, { ok: true, detail: result.detail, ...echo });
}

function adminRoutes(options: AdminApiOptions): readonly Route[] {
  const { admin } = options;
  return [
    {
      method: 'GET',
      path: '/v1/queues',
      authorized: true,
      handle: (_request, response, url) => {
        const filter = orRefuse(readQueueFilter(url.searchParams), 'nothing was read');
        sendJson(response, 200, { ...filterSnapshot(admin.snapshot(), filter), filter });
        return Promise.resolve();
      },
    },
    {
      method: 'POST',
      path: '/v1/suspend',
      authorized: true,
      handle: async (request, response) => {
        const { target, durationMs, reason } = orRefuse(
          readSuspendRequest(await readBody(request)),
          'nothing was suspended',
        );
        sendAdminResult(response, admin.suspend(target, { durationMs, reason }), { target, durationMs, reason });
      },
    },
    {
      method: 'POST',
      path: '/v1/resume',
      authorized: true,
      handle: async (request, response) => {
        const target = orRefuse(readResumeRequest(await readBody(request)), 'nothing was resumed');
        sendAdminResult(response, admin.resume(target), { target });
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      authorized: true,
      handle: async (_request, response) => {
        const text = await renderMetrics({
          metrics: admin.metrics(),
          snapshot: admin.snapshot(),
          extra: options.extraMetrics?.() ?? {},
        });
        response.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'content-length': Buffer.byteLength(text) });
        response.end(text);
      },
    },
    {
      method: 'GET',
      path: '/healthz',
      authorized: false,
      handle: (_request, response) => {
        sendJson(response, 200, { ok: true });
        return Promise.resolve();
      },
    },
  ];
}

/** The route for the request, or 404 listing every route, or 405 naming the method the path takes. */
function findRoute(routes: readonly Route[], method: string, path: string): Route {
  const onPath = routes.filter((route) => route.path === path);
  const route = onPath.find((candidate) => candidate.method === method);
  if (route !== undefined) return route;
  if (onPath.length > 0) {
    const allowed = onPath.map((candidate) => candidate.method).join(', ');
    throw new HttpError(405, `${path} takes ${allowed}, not ${method}`, [], { allow: allowed });
  }
  throw new HttpError(
    404,
    `no such endpoint: ${method} ${path} (${routes.map((candidate) => `${candidate.method} ${candidate.path}`).join(', ')})`,
  );
}

/** Starts the admin API; resolves once it listens. Rejects with a `RangeError` for a non-loopback address. */
export async function startAdminApi(options: AdminApiOptions): Promise<AdminApi> {
  const routes = adminRoutes(options);
  const server = createServer((request, response) => {
    const handle = async (): Promise<void> => {
      const url = new URL(request.url ?? '/', 'http://admin.invalid');
      const route = findRoute(routes, request.method ?? '', url.pathname);
      if (route.authorized) authorizeBearer(request, options.bearerToken);
      await route.handle(request, response, url);
    };
    handle().catch((error: unknown) => sendFailure(response, error, 'the admin request failed'));
  });
  return listenOnLoopback(server, { address: options.address, port: options.port, apiName: 'admin API' });
}
