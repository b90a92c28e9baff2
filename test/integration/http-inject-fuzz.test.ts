/**
 * The injection API fuzzed over real HTTP on loopback, with fast-check generating requests:
 * valid ones, near-valid ones (one field dropped, retyped, given a bad address, an unknown
 * pool, a huge string or deep nesting), arbitrary JSON, garbage bytes (invalid UTF-8 among
 * them), wrong content types, tokens, methods and paths.
 *
 * The contract it checks on every request (DESIGN rule 7): the server never crashes and never
 * answers 500; a refusal is a 4xx from the documented set with a JSON body whose `error` says
 * what is wrong and, for 400 and 413, `problems` naming paths; a refused request enqueues
 * nothing; a valid request gets 202 with one id per message, and exactly those messages are
 * enqueued.
 *
 * Runs are bounded (MAILBENCH_FUZZ_RUNS, default 100 per property) and seeded
 * (MAILBENCH_TEST_SEED, default below); the seed is in the suite title, and fast-check prints
 * `{ seed, path }` with any counterexample for a replay.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { testSeed } from '../support/test-seed.ts';
import { startInjectionApi } from '../../mta-under-test/reference/inject/http-api.ts';
import type { EnqueueInput, InjectionApi } from '../../mta-under-test/reference/inject/http-api.ts';

const SEED = testSeed(20_261_201);
const RUNS = Number(process.env.MAILBENCH_FUZZ_RUNS ?? 100);
const TOKEN = 'fuzz-token';
const POOLS = ['grid', 'dedicated-acme'];
const LIMITS = { messageBytesMax: 8 * 1024, recipientsPerMessageMax: 5, recipientsPerRequestMax: 12 };
const REFUSALS = [400, 401, 404, 413, 415];

type Json = unknown;
interface Answer {
  readonly status: number;
  readonly body: { accepted?: number; ids?: unknown; error?: unknown; problems?: unknown };
}

let api: InjectionApi;
const enqueued: EnqueueInput[] = [];

beforeAll(async () => {
  api = await startInjectionApi({
    address: '127.0.0.1',
    pools: new Set(POOLS),
    bearerToken: TOKEN,
    limits: LIMITS,
    enqueue: (messages) => {
      enqueued.push(...messages);
      return Promise.resolve(messages.map((_message, index) => `m${enqueued.length - messages.length + index}`));
    },
  });
});

afterAll(async () => {
  await api.close();
});

interface RequestShape {
  readonly path?: string;
  readonly method?: string;
  readonly contentType?: string | null;
  readonly token?: string | null;
  readonly body: string | Uint8Array;
}

async function request(shape: RequestShape): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (shape.contentType !== null) headers['content-type'] = shape.contentType ?? 'application/json';
  if (shape.token !== null) headers.authorization = `Bearer ${shape.token ?? TOKEN}`;
  const method = shape.method ?? 'POST';
  const response = await fetch(`http://${api.address}:${api.port}${shape.path ?? '/v1/messages'}`, { method, headers, ...(method === 'GET' ? {} : { body: shape.body }) });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Answer['body'] };
}

/** The contract every answer keeps; `expectedMessages` is how many a 202 must have enqueued. */
async function checkAnswer(shape: RequestShape, expectedMessages: (answer: Answer) => number | undefined = () => undefined): Promise<Answer> {
  const before = enqueued.length;
  const answer = await request(shape);
  const added = enqueued.length - before;
  if (answer.status === 202) {
    expect(Array.isArray(answer.body.ids)).toBe(true);
    expect(answer.body.ids).toHaveLength(added);
    expect(answer.body.accepted).toBe(added);
    const expected = expectedMessages(answer);
    if (expected !== undefined) expect(added).toBe(expected);
    return answer;
  }
  expect(REFUSALS, `status ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`).toContain(answer.status);
  expect(added, 'a refused request enqueued something').toBe(0);
  expect(typeof answer.body.error === 'string' && answer.body.error.length > 0, 'error says what is wrong').toBe(true);
  if (answer.status === 400 || answer.status === 413) {
    const problems = answer.body.problems as { path?: unknown; message?: unknown }[] | undefined;
    expect(Array.isArray(problems) && problems.length > 0, `problems for ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`).toBe(true);
    for (const problem of problems ?? []) {
      expect(typeof problem.path === 'string' && problem.path.length > 0).toBe(true);
      expect(typeof problem.message === 'string' && problem.message.length > 0).toBe(true);
    }
  }
  return answer;
}

const problemPaths = (answer: Answer): string[] => ((answer.body.problems ?? []) as { path: string }[]).map((problem) => problem.path);

// Generators of valid requests.
const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,6}[a-z0-9])?$/);
const address = fc.tuple(fc.stringMatching(/^[a-z0-9+_-]{1,12}$/), label, fc.constantFrom('example', 'test', 'co.uk')).map(([local, domain, tld]) => `${local}@${domain}.${tld}`);
const metaName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/);
const text = fc.string({ unit: 'binary', maxLength: 200 });
const oneLine = fc.string({ unit: 'binary', maxLength: 60 }).map((value) => value.replace(/[\r\n]/g, ' '));
const meta = fc.record({ pool: fc.constantFrom(...POOLS), tenant: metaName, campaign: metaName }, { requiredKeys: [] });
// Any name RFC 5322 allows (printable ASCII but ':'), standard ones among them, and any one-line value.
const headerName = fc.oneof(fc.stringMatching(/^[!-9;-~]{1,20}$/), fc.constantFrom('Content-Type', 'Content-Transfer-Encoding', 'MIME-Version', 'To', 'From', 'Date', 'Message-ID', 'List-Unsubscribe', '__proto__', 'constructor'));
const headers = fc.dictionary(headerName, oneLine, { maxKeys: 3 });
const content = fc.record({ from: fc.constant('News <news@news.example>'), subject: oneLine, text, html: text, headers }, { requiredKeys: ['from', 'subject', 'text'] });
const raw = fc.tuple(oneLine, text).map(([subject, body]) => `From: <news@news.example>\r\nSubject: ${subject}\r\n\r\n${body}`);
const recipients = fc.oneof(address, fc.array(address, { minLength: 1, maxLength: LIMITS.recipientsPerMessageMax }));
const message = fc
  .tuple(address, recipients, fc.oneof(raw.map((value) => ({ raw: value })), content.map((value) => ({ content: value }))), meta)
  .map(([from, to, body, extra]) => ({ from, to, ...body, ...extra }));
const batch = fc.array(message, { minLength: 1, maxLength: 3 }).filter((messages) => messages.reduce((sum: number, item) => sum + (Array.isArray(item.to) ? item.to.length : 1), 0) <= LIMITS.recipientsPerRequestMax);
const template = fc.tuple(address, fc.array(fc.record({ to: address, vars: fc.record({ name: oneLine }) }), { minLength: 1, maxLength: LIMITS.recipientsPerRequestMax }), meta).map(([from, list, extra]) => ({
  from,
  content: { from: 'News <news@news.example>', subject: 'Hello {{name}}', text: 'Dear {{ name }},' },
  recipients: list,
  ...extra,
}));

// Near-valid mutations of a single message.
const BAD_ADDRESSES = ['', 'alice', 'alice@', '@example.com', 'a b@example.com', 'alice..bob@example.com', 'alice@localhost', 'alice@-x-.com', 'alice@example.123', '<alice@example.com>', `${'a'.repeat(65)}@example.com`];
type Mutation = { readonly kind: 'drop'; readonly key: 'from' | 'to' | 'body' } | { readonly kind: 'retype'; readonly key: string; readonly value: Json } | { readonly kind: 'bad-address'; readonly key: 'from' | 'to'; readonly value: string } | { readonly kind: 'unknown-pool'; readonly value: string } | { readonly kind: 'huge'; readonly bytes: number } | { readonly kind: 'deep'; readonly key: string; readonly depth: number } | { readonly kind: 'unknown-key'; readonly key: string; readonly value: Json };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), key: fc.constantFrom('from' as const, 'to' as const, 'body' as const) }),
  fc.record({ kind: fc.constant('retype' as const), key: fc.constantFrom('from', 'to', 'raw', 'content', 'pool', 'tenant', 'campaign'), value: fc.jsonValue({ maxDepth: 3 }) }),
  fc.record({ kind: fc.constant('bad-address' as const), key: fc.constantFrom('from' as const, 'to' as const), value: fc.oneof(fc.constantFrom(...BAD_ADDRESSES), fc.string({ unit: 'binary', maxLength: 30 })) }),
  fc.record({ kind: fc.constant('unknown-pool' as const), value: metaName.filter((name) => !POOLS.includes(name)) }),
  fc.record({ kind: fc.constant('huge' as const), bytes: fc.integer({ min: LIMITS.messageBytesMax + 1, max: LIMITS.messageBytesMax * 3 }) }),
  fc.record({ kind: fc.constant('deep' as const), key: fc.constantFrom('to', 'content', 'pool', 'raw'), depth: fc.integer({ min: 50, max: 20_000 }) }),
  fc.record({ kind: fc.constant('unknown-key' as const), key: fc.string({ maxLength: 10 }).filter((key) => !['from', 'to', 'raw', 'content', 'pool', 'tenant', 'campaign'].includes(key)), value: fc.jsonValue({ maxDepth: 2 }) }),
);

/** Stands in for a deeply nested value until the body is serialised (JSON.stringify itself would overflow). */
const DEEP = '\u0000deep\u0000';

/** `depth` levels of alternating arrays and objects, as JSON text. */
function nestedJson(depth: number): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let level = 0; level < depth; level++) {
    open.push(level % 2 === 0 ? '[' : '{"a":');
    close.push(level % 2 === 0 ? ']' : '}');
  }
  return `${open.join('')}"x"${close.reverse().join('')}`;
}

/** The body as JSON text, with a `deep` mutation's placeholder replaced by the nesting. */
function serialise(body: Record<string, Json>, change: Mutation): string {
  const json = JSON.stringify(body);
  return change.kind === 'deep' ? json.replace(JSON.stringify(DEEP), nestedJson(change.depth)) : json;
}

function mutate(valid: Record<string, Json>, change: Mutation): Record<string, Json> {
  const copy: Record<string, Json> = { ...valid };
  switch (change.kind) {
    case 'drop':
      if (change.key === 'body') {
        delete copy.raw;
        delete copy.content;
      } else delete copy[change.key];
      return copy;
    case 'retype':
    case 'unknown-key':
      // defineProperty, not assignment: a key such as "__proto__" must become an own field.
      Object.defineProperty(copy, change.key, { value: change.value, enumerable: true, writable: true, configurable: true });
      return copy;
    case 'bad-address':
      copy[change.key] = change.key === 'to' ? ['ok@example.com', change.value] : change.value;
      return copy;
    case 'unknown-pool':
      copy.pool = change.value;
      return copy;
    case 'huge':
      delete copy.content;
      copy.raw = `Subject: big\r\n\r\n${'x'.repeat(change.bytes)}`;
      return copy;
    case 'deep':
      copy[change.key] = DEEP;
      return copy;
  }
}

/** What a mutation must be refused with, when it must be refused. */
function expectRefusal(change: Mutation, answer: Answer): void {
  switch (change.kind) {
    case 'drop':
      expect(answer.status).toBe(400);
      expect(problemPaths(answer)).toContain(change.key === 'body' ? '(body)' : change.key);
      return;
    case 'bad-address':
      expect(answer.status).toBe(400);
      expect(problemPaths(answer)).toContain(change.key === 'to' ? 'to[1]' : 'from');
      return;
    case 'unknown-pool':
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body.problems)).toContain(`unknown pool \\"${change.value}\\"`);
      return;
    case 'huge':
      expect(answer.status).toBe(413);
      expect(problemPaths(answer)).toContain('raw');
      return;
    case 'deep':
    case 'unknown-key':
      expect([400, 413]).toContain(answer.status);
      return;
    case 'retype':
      // A retyped field may happen to be valid (a tenant of "a"); checkAnswer holds either way.
      return;
  }
}

const messageCount = (body: Record<string, Json>): number => (Array.isArray(body.messages) ? body.messages.length : Array.isArray(body.recipients) ? body.recipients.length : 1);

describe(`injection API fuzz (seed: ${SEED}, runs: ${RUNS} per property)`, () => {
  const parameters = { seed: SEED, numRuns: RUNS };

  test('valid single, batch and template requests get 202 with one id per message', async () => {
    const valid = fc.oneof(message.map((body) => ({ path: '/v1/messages', body: body })), batch.map((messages) => ({ path: '/v1/messages/batch', body: { messages } })), template.map((body) => ({ path: '/v1/messages/batch', body: body })));
    await fc.assert(
      fc.asyncProperty(valid, async ({ path, body }) => {
        const answer = await checkAnswer({ path, body: JSON.stringify(body) }, () => messageCount(body));
        expect(answer.status, JSON.stringify(answer.body).slice(0, 500)).toBe(202);
      }),
      parameters,
    );
  });

  test('near-valid messages are refused with the problem named, or accepted whole', async () => {
    await fc.assert(
      fc.asyncProperty(message, mutation, async (valid, change) => {
        const answer = await checkAnswer({ body: serialise(mutate(valid, change), change) }, () => 1);
        expectRefusal(change, answer);
      }),
      parameters,
    );
  });

  test('arbitrary JSON on either endpoint never gets anything but 202 or a documented 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/v1/messages', '/v1/messages/batch'), fc.jsonValue({ maxDepth: 4 }), async (path, body) => {
        await checkAnswer({ path, body: JSON.stringify(body) });
      }),
      parameters,
    );
  });

  test('garbage bytes, invalid UTF-8 and truncated JSON are refused with 400', async () => {
    const invalidUtf8 = message.map((body) => {
      const bytes = Buffer.from(JSON.stringify(body));
      const at = bytes.indexOf('"from":"') + 8;
      return Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff, 0xfe, 0xc3]), bytes.subarray(at)]);
    });
    const truncated = message.chain((body) => {
      const json = JSON.stringify(body);
      return fc.integer({ min: 0, max: json.length - 1 }).map((cut) => json.slice(0, cut));
    });
    const garbage = fc.oneof(fc.uint8Array({ maxLength: 300 }), invalidUtf8, truncated.map((json) => Buffer.from(json)));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/v1/messages', '/v1/messages/batch'), garbage, async (path, body) => {
        const answer = await checkAnswer({ path, body });
        expect(answer.status).toBe(400);
      }),
      parameters,
    );
  });

  test('wrong content types are 415, wrong tokens 401, wrong methods and paths 404', async () => {
    // application/json-patch+json and the like are left out: see the known bug below.
    const wrongContentType = fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', 'application/xml', 'text/json', '');
    const wrongToken = fc.oneof(fc.constant(null), fc.string({ maxLength: 20 }).filter((token) => token !== TOKEN && !/[\r\n]/.test(token)));
    const wrongRoute = fc.oneof(fc.record({ method: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH'), path: fc.constantFrom('/v1/messages', '/v1/messages/batch') }), fc.record({ method: fc.constant('POST'), path: fc.webPath().filter((path) => !['/v1/messages', '/v1/messages/batch'].includes(path.split('?')[0] ?? '')) }));
    const wrong = fc.oneof(
      fc.record({ what: fc.constant(415), contentType: wrongContentType }),
      fc.record({ what: fc.constant(401), token: wrongToken.map((token) => (token === null ? null : token.trim() === '' ? `x${token}` : token)) }),
      fc.record({ what: fc.constant(404), route: wrongRoute }),
    );
    await fc.assert(
      fc.asyncProperty(message, wrong, async (valid, change) => {
        const body = JSON.stringify(valid);
        const shape: RequestShape = 'contentType' in change ? { body, contentType: change.contentType } : 'token' in change ? { body, token: change.token } : { body, method: change.route.method, path: change.route.path.startsWith('/') ? change.route.path : `/${change.route.path}` };
        const answer = await checkAnswer(shape);
        expect(answer.status).toBe(change.what);
      }),
      parameters,
    );
  });

  test('deeply nested and oversized bodies are refused, and the server still answers afterwards', async () => {
    // Arrange: nesting deeper than JSON.parse can go, and a body over the request limit.
    const deep = `${'['.repeat(400_000)}${']'.repeat(400_000)}`;
    const oversized = JSON.stringify({ from: 'a@example.com', to: 'b@example.com', raw: `Subject: x\r\n\r\n${'x'.repeat(LIMITS.messageBytesMax * 2 + 1024 * 1024)}` });
    // Act and assert
    expect((await checkAnswer({ body: deep })).status).toBe(400);
    expect((await checkAnswer({ body: oversized })).status).toBe(413);
    const after = await checkAnswer({ body: JSON.stringify({ from: 'a@example.com', to: 'b@example.com', raw: 'Subject: x\r\n\r\nstill here\r\n' }) }, () => 1);
    expect(after.status).toBe(202);
  });
});

describe('regressions the fuzz found, fixed in request.ts and http-api.ts', () => {
  const raw = 'Subject: x\r\n\r\nhello\r\n';

  test('a deeply nested pool (or other meta) is a 400 naming it, not a 500 from JSON.stringify', async () => {
    const body = `{"from":"a@example.com","to":"b@example.com","raw":${JSON.stringify(raw)},"pool":${nestedJson(20_000)}}`;
    const answer = await checkAnswer({ body });
    expect(answer.status).toBe(400);
    expect(answer.body.problems).toEqual([{ path: 'pool', message: "must be a name of letters, digits, '.', '_' or '-', at most 64 characters (got a list)" }]);
  });

  test('deeply nested content is a 400 naming its fields, not a 500', async () => {
    const body = `{"from":"a@example.com","to":"b@example.com","content":{"from":"N <n@example.com>","subject":"s","text":${nestedJson(20_000)}}}`;
    const answer = await checkAnswer({ body });
    expect(answer.status).toBe(400);
    expect(problemPaths(answer)).toEqual(['content.text']);
  });

  test('an unknown key that is not a plain name is quoted in its path (an empty key gave an empty path)', async () => {
    const answer = await checkAnswer({ body: JSON.stringify({ from: 'a@example.com', to: 'b@example.com', raw, '': 1, 'a.b': 2 }) });
    expect(problemPaths(answer)).toEqual(['[""]', '["a.b"]']);
  });

  test('a body that is not JSON, or too big, gets problems naming the whole body', async () => {
    const malformed = await checkAnswer({ body: '{"from": ' });
    expect(malformed.body.problems).toEqual([{ path: '(body)', message: expect.stringMatching(/^the body is not valid JSON/) as unknown }]);
  });

  test('a message that grows past the limit when composed gets a 413 naming it', async () => {
    // LF line ends become CRLF: under the limit as sent, over it as spooled.
    const grows = `Subject: x\n\n${'a\n'.repeat(4_000)}`;
    const single = await checkAnswer({ body: JSON.stringify({ from: 'a@example.com', to: 'b@example.com', raw: grows }) });
    const batch = await checkAnswer({ path: '/v1/messages/batch', body: JSON.stringify({ messages: [{ from: 'a@example.com', to: 'b@example.com', raw }, { from: 'a@example.com', to: 'b@example.com', raw: grows }] }) });
    expect(single.status).toBe(413);
    expect(problemPaths(single)).toEqual(['raw']);
    expect(problemPaths(batch)).toEqual(['messages[1].raw']);
  });
});

// Two bugs the fuzzing found in mta-under-test/reference/http/json-http.ts, now fixed there.
describe('strict JSON bodies', () => {
  test('a media type that only starts with application/json (application/json-patch+json) is taken as JSON, not refused with 415', async () => {
    const answer = await checkAnswer({ contentType: 'application/json-patch+json', body: JSON.stringify({ from: 'a@example.com', to: 'b@example.com', raw: 'Subject: x\r\n\r\nhi\r\n' }) });
    expect(answer.status).toBe(415);
  });

  test('invalid UTF-8 in a JSON string is refused with 400, not silently replaced by U+FFFD and accepted', async () => {
    const json = Buffer.from(JSON.stringify({ from: 'a@example.com', to: 'b@example.com', raw: 'Subject: x\r\n\r\nBAD\r\n' }));
    const at = json.indexOf('BAD');
    const answer = await checkAnswer({ body: Buffer.concat([json.subarray(0, at), Buffer.from([0xff, 0xfe]), json.subarray(at + 3)]) });
    expect(answer.status).toBe(400);
  });
});
