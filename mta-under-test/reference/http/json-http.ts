/**
 * The JSON-over-node:http plumbing the engine's HTTP APIs share (injection, admin): one error
 * type that carries its status and every problem, a bearer check in constant time, a body
 * reader that stops at a size cap before parsing, and one way to send JSON. Kept apart so that
 * each API file holds only its routes and what they mean (STYLE §0 item 10).
 *
 * Error bodies always have the same shape, `{ error, problems? }`, so a client handles refusals
 * from every endpoint alike (DESIGN rule 7: bad input gets a clear error).
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { MailbenchError } from '../../../kernel/index.ts';

/** One thing wrong with a request: the field by path (`messages[0].to`, `query.site`, '' for the whole body) and why. */
export interface HttpProblem {
  readonly path: string;
  readonly message: string;
}

/** A refusal with its HTTP status; thrown inside a handler and turned into a JSON reply by `sendFailure`. */
export class HttpError extends MailbenchError {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: readonly HttpProblem[] = [],
    /** Extra reply headers, e.g. `Allow` on a 405. */
    readonly headers: OutgoingHttpHeaders = {},
  ) {
    super('E_HTTP_REFUSED', message, { context: { status } });
    this.name = 'HttpError';
  }
}

/** `"3 problems"`, `"1 problem"`: the summary line of a refusal. */
export function countProblems(problems: readonly HttpProblem[]): string {
  return `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
}

/** Throws 401 unless the request carries `Authorization: Bearer <token>`; no token configured: everyone passes. */
export function authorizeBearer(request: IncomingMessage, token: string | undefined): void {
  if (token === undefined) return;
  const given = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
  const expected = Buffer.from(token);
  const actual = Buffer.from(given);
  // Compared in constant time, so the token cannot be guessed byte by byte from timings.
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected))
    throw new HttpError(401, 'missing or wrong bearer token');
}

/** Throws 415 unless the request says its body is JSON. */
export function requireJsonContentType(request: IncomingMessage): void {
  // application/json itself, with or without parameters; not application/json-patch+json and its kin.
  if (!/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? ''))
    throw new HttpError(415, 'send JSON: Content-Type: application/json');
}

/**
 * Reads the whole body and parses it as JSON. Stops with 413 as soon as more than `bytesMax`
 * bytes arrived, so a huge body costs no more memory than the cap; malformed JSON is 400.
 */
export async function readJsonBody(request: IncomingMessage, bytesMax: number): Promise<unknown> {
  // Decoded as it arrives (a 10 MB body is held once as text, not also as bytes). Fatal
  // decoding: invalid UTF-8 is refused (RFC 8259 §8.1), never silently replaced by U+FFFD.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parts: string[] = [];
  let size = 0;
  try {
    for await (const chunk of request) {
      size += (chunk as Buffer).byteLength;
      if (size > bytesMax) throw new HttpError(413, `the request body is over ${bytesMax} bytes`);
      parts.push(decoder.decode(chunk as Buffer, { stream: true }));
    }
    parts.push(decoder.decode());
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, `the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return JSON.parse(parts.join('')) as unknown;
  } catch (error) {
    throw new HttpError(400, `the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Sends `body` as JSON with its length; does nothing if a reply already started. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  if (response.headersSent) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/**
 * Replies to whatever a handler threw: an `HttpError` as `{ error, problems? }` with its status,
 * anything else as 500 with `unexpectedPrefix` saying what did not happen ("the request was not
 * enqueued"), so the client knows where it stands.
 */
export function sendFailure(response: ServerResponse, error: unknown, unexpectedPrefix: string): void {
  if (error instanceof HttpError) {
    sendJson(
      response,
      error.status,
      { error: error.message, ...(error.problems.length > 0 ? { problems: error.problems } : {}) },
      error.headers,
    );
  } else {
    sendJson(response, 500, {
      error: `${unexpectedPrefix}: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}
