/**
 * The engine's HTTP front door (JSON over node:http, loopback only):
 *
 *   POST /v1/messages         one message            → 202 { accepted, ids }
 *   POST /v1/messages/batch   many, or one template  → 202 { accepted, ids }
 *
 * 202 means durably enqueued: the answer goes out only after `enqueue` resolved, which the
 * spool does after its fsync. Bad input gets 400 (413 for sizes) with every problem named by
 * path; a missing or wrong bearer token 401; no room for new mail (the admission budget), or a
 * spool that could not make it durable (a full disk), 503 with Retry-After; anything else the
 * server did not expect 500. Nothing is half-enqueued: a request is enqueued whole or not at all.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
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
import type { Admission } from '../service/admission.ts';
import type { LoopbackListener } from '../http/loopback-server.ts';
import { composeMessage } from './compose.ts';
import { DEFAULT_INJECTION_LIMITS, parseBatch, parseSingle } from './request.ts';
import type { InjectionLimits, InjectionMessage, MessageMeta, ParsedRequest } from './request.ts';

/** A message as the spool takes it. */
export interface EnqueueInput {
  readonly mailFrom: string;
  readonly recipients: readonly string[];
  /** RFC 5322, CRLF line ends. */
  readonly data: string;
  readonly meta: MessageMeta;
}

/** Resolves with one id per message once all of them are durable; rejects if any is not. */
export type Enqueue = (messages: readonly EnqueueInput[]) => Promise<readonly string[]>;

export interface InjectionApiOptions {
  readonly address: string;
  /** @defaultValue 0 (an ephemeral port) */
  readonly port?: number;
  readonly enqueue: Enqueue;
  /** Pools a message may name. */
  readonly pools: ReadonlySet<string>;
  /** When set, every request needs `Authorization: Bearer <token>`. */
  readonly bearerToken?: string;
  readonly limits?: Partial<InjectionLimits>;
  /** Room for new mail; without it a request is answered 503 with Retry-After before its body is read. @defaultValue always room */
  readonly admission?: Admission;
}

export type InjectionApi = LoopbackListener;

/** JSON bodies larger than this are refused before parsing. */
const BODY_BYTES_MARGIN = 1024 * 1024;

export async function startInjectionApi(options: InjectionApiOptions): Promise<InjectionApi> {
  const limits: InjectionLimits = { ...DEFAULT_INJECTION_LIMITS, ...options.limits };
  const bodyBytesMax = limits.messageBytesMax * 2 + BODY_BYTES_MARGIN;
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => sendFailure(response, error, 'the request was not enqueued'));
  });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const route = `${request.method ?? ''} ${(request.url ?? '').split('?')[0] ?? ''}`;
    const parse =
      route === 'POST /v1/messages' ? parseSingle : route === 'POST /v1/messages/batch' ? parseBatch : undefined;
    if (parse === undefined)
      throw new HttpError(404, `no such endpoint: ${route} (POST /v1/messages, POST /v1/messages/batch)`);
    authorizeBearer(request, options.bearerToken);
    requireJsonContentType(request);
    const entered = options.admission?.enter();
    if (entered?.admitted === false) {
      // The body is read and thrown away, not kept: the client hears a clean 503 rather than a
      // broken pipe half-way through its upload.
      request.resume();
      throw new HttpError(
        503,
        `no room for new mail now: ${entered.reason}; nothing was enqueued, try again later`,
        [],
        { 'retry-after': String(entered.retryAfterSeconds) },
      );
    }
    try {
      await receive(request, response, route);
    } finally {
      entered?.ticket.leave();
    }
  };

  const receive = async (request: IncomingMessage, response: ServerResponse, route: string): Promise<void> => {
    const parse = route === 'POST /v1/messages' ? parseSingle : parseBatch;
    const body = await readJsonBody(request, bodyBytesMax).catch((error: unknown) => {
      // Every 400 and 413 of this API names paths: a body that is not JSON, or too big, is a problem of the whole body.
      throw error instanceof HttpError && error.problems.length === 0
        ? new HttpError(error.status, error.message, [{ path: '(body)', message: error.message }])
        : error;
    });
    const parsed: ParsedRequest = parse(body, limits, options.pools);
    if (!parsed.ok) {
      const status = parsed.problems.every((problem) => problem.status === 413) ? 413 : 400;
      throw new HttpError(
        status,
        `${countProblems(parsed.problems)}; nothing was enqueued`,
        parsed.problems.map(({ path, message }) => ({ path, message })),
      );
    }
    const inputs = await composeInSlices(parsed.messages);
    const oversized = inputs.findIndex((input) => Buffer.byteLength(input.data) > limits.messageBytesMax);
    if (oversized >= 0) {
      const message = `message ${oversized} is over the ${limits.messageBytesMax}-byte limit once composed; nothing was enqueued`;
      throw new HttpError(413, message, [
        {
          path: messagePath(route, body, parsed.messages[oversized], oversized),
          message: `is over the ${limits.messageBytesMax}-byte message limit once composed (CRLF line ends, MIME encoding)`,
        },
      ]);
    }
    const ids = await enqueueDurably(options.enqueue, inputs);
    sendJson(response, 202, {
      accepted: ids.length,
      recipients: inputs.reduce((sum, input) => sum + input.recipients.length, 0),
      ids,
    });
  };

  return listenOnLoopback(server, { address: options.address, port: options.port, apiName: 'injection API' });
}

/**
 * Hands the messages to the spool; when it cannot make them durable (a full disk, an I/O
 * error), nothing was acknowledged and the condition is the engine's, not the request's: 503.
 */
async function enqueueDurably(
  enqueue: InjectionApiOptions['enqueue'],
  inputs: Parameters<InjectionApiOptions['enqueue']>[0],
): Promise<readonly string[]> {
  try {
    return await enqueue(inputs);
  } catch (error) {
    throw new HttpError(
      503,
      `the mail could not be made durable (${error instanceof Error ? error.message : String(error)}); nothing was enqueued, try again later`,
      [],
      { 'retry-after': '30' },
    );
  }
}

/** Messages composed at once before the next yield: a 10,000-message batch leaves room for other clients between slices. */
const COMPOSE_SLICE = 20;

/**
 * Composes every message, a slice at a time with a turn of the event loop between slices:
 * composing 10,000 at once (Promise.all) held the loop for two seconds, and every other client
 * of the API waited that long for its answer.
 */
async function composeInSlices(messages: readonly InjectionMessage[]): Promise<EnqueueInput[]> {
  const inputs: EnqueueInput[] = [];
  for (let start = 0; start < messages.length; start += COMPOSE_SLICE) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    const slice = messages.slice(start, start + COMPOSE_SLICE);
    inputs.push(
      ...(await Promise.all(
        slice.map(async (message) => ({
          mailFrom: message.mailFrom,
          recipients: message.recipients,
          data: await composeMessage(message),
          meta: message.meta,
        })),
      )),
    );
  }
  return inputs;
}

/** Where message `index` of a request came from: its body part, its batch entry or its template recipient. */
function messagePath(route: string, body: unknown, message: InjectionMessage | undefined, index: number): string {
  const part = message !== undefined && 'raw' in message.body ? 'raw' : 'content';
  if (route === 'POST /v1/messages') return part;
  const isTemplate = typeof body === 'object' && body !== null && 'recipients' in body;
  return isTemplate ? `recipients[${index}]` : `messages[${index}].${part}`;
}
