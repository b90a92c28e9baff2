/**
 * The engine's HTTP front door (JSON over node:http, loopback only):
 *
 *   POST /v1/messages         one message            → 202 { accepted, ids }
 *   POST /v1/messages/batch   many, or one template  → 202 { accepted, ids }
 *
 * 202 means durably enqueued: the answer goes out only after `enqueue` resolved, which the
 * spool does after its fsync. Bad input gets 400 (413 for sizes) with every problem named by
 * path; a missing or wrong bearer token 401; anything else the server did not expect 500,
 * and nothing is half-enqueued: a request is enqueued whole or not at all.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { isLoopbackIpv4 } from '../../../sim/net/loopback.ts';
import { composeMessage } from './compose.ts';
import { DEFAULT_INJECTION_LIMITS, parseBatch, parseSingle } from './request.ts';
import type { InjectionLimits, MessageMeta, ParsedRequest, RequestProblem } from './request.ts';

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
}

export interface InjectionApi {
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

/** JSON bodies larger than this are refused before parsing. */
const BODY_BYTES_MARGIN = 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: readonly Omit<RequestProblem, 'status'>[] = [],
  ) {
    super(message);
  }
}

export async function startInjectionApi(options: InjectionApiOptions): Promise<InjectionApi> {
  if (!isLoopbackIpv4(options.address)) throw new RangeError(`the injection API binds loopback only (127.0.0.0/8); refusing ${options.address}`);
  const limits: InjectionLimits = { ...DEFAULT_INJECTION_LIMITS, ...options.limits };
  const bodyBytesMax = limits.messageBytesMax * 2 + BODY_BYTES_MARGIN;
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof HttpError) send(response, error.status, { error: error.message, ...(error.problems.length > 0 ? { problems: error.problems } : {}) });
      else send(response, 500, { error: `the request was not enqueued: ${error instanceof Error ? error.message : String(error)}` });
    });
  });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const route = `${request.method ?? ''} ${(request.url ?? '').split('?')[0] ?? ''}`;
    const parse = route === 'POST /v1/messages' ? parseSingle : route === 'POST /v1/messages/batch' ? parseBatch : undefined;
    if (parse === undefined) throw new HttpError(404, `no such endpoint: ${route} (POST /v1/messages, POST /v1/messages/batch)`);
    authorize(request, options.bearerToken);
    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) throw new HttpError(415, 'send JSON: Content-Type: application/json');
    const body = await readJson(request, bodyBytesMax);
    const parsed: ParsedRequest = parse(body, limits, options.pools);
    if (!parsed.ok) {
      const status = parsed.problems.every((problem) => problem.status === 413) ? 413 : 400;
      throw new HttpError(status, `${parsed.problems.length} problem${parsed.problems.length === 1 ? '' : 's'}; nothing was enqueued`, parsed.problems.map(({ path, message }) => ({ path, message })));
    }
    const inputs = await Promise.all(parsed.messages.map(async (message) => ({ mailFrom: message.mailFrom, recipients: message.recipients, data: await composeMessage(message), meta: message.meta })));
    const oversized = inputs.findIndex((input) => Buffer.byteLength(input.data) > limits.messageBytesMax);
    if (oversized >= 0) throw new HttpError(413, `message ${oversized} is over the ${limits.messageBytesMax}-byte limit once composed; nothing was enqueued`);
    const ids = await options.enqueue(inputs);
    send(response, 202, { accepted: ids.length, recipients: inputs.reduce((sum, input) => sum + input.recipients.length, 0), ids });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  if (bound === null || typeof bound === 'string') throw new Error('the injection API has no TCP address');
  return {
    address: options.address,
    port: bound.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function authorize(request: IncomingMessage, token: string | undefined): void {
  if (token === undefined) return;
  const given = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
  const expected = Buffer.from(token);
  const actual = Buffer.from(given);
  // Compared in constant time, so the token cannot be guessed byte by byte from timings.
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw new HttpError(401, 'missing or wrong bearer token');
}

async function readJson(request: IncomingMessage, bytesMax: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).byteLength;
    if (size > bytesMax) throw new HttpError(413, `the request body is over ${bytesMax} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch (error) {
    throw new HttpError(400, `the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
