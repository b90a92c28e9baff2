/**
 * The injection API on loopback for tests that talk to it over real HTTP: started before the
 * file's tests with a recording enqueue, closed after them; `checkAnswer` holds every answer to
 * the API's contract (DESIGN rule 7: 202 with one id per message, or a documented 4xx that names
 * what is wrong and enqueued nothing).
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { startInjectionApi } from '../../mta-under-test/reference/inject/http-api.ts';
import type { EnqueueInput, InjectionApi } from '../../mta-under-test/reference/inject/http-api.ts';

export const TOKEN = 'fuzz-token';
export const POOLS = ['grid', 'dedicated-acme'];
export const LIMITS = { messageBytesMax: 8 * 1024, recipientsPerMessageMax: 5, recipientsPerRequestMax: 12 };
const REFUSALS = [400, 401, 404, 413, 415];

export interface Answer {
  readonly status: number;
  readonly body: { accepted?: number; ids?: unknown; error?: unknown; problems?: unknown };
}

export interface RequestShape {
  readonly path?: string;
  readonly method?: string;
  readonly contentType?: string | null;
  readonly token?: string | null;
  readonly body: string | Uint8Array;
}

export interface InjectionApiUnderTest {
  readonly request: (shape: RequestShape) => Promise<Answer>;
  /** The contract every answer keeps; `expectedMessages` is how many a 202 must have enqueued. */
  readonly checkAnswer: (
    shape: RequestShape,
    expectedMessages?: (answer: Answer) => number | undefined,
  ) => Promise<Answer>;
  readonly problemPaths: (answer: Answer) => string[];
}

export function injectionApiUnderTest(): InjectionApiUnderTest {
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

  async function request(shape: RequestShape): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (shape.contentType !== null) headers['content-type'] = shape.contentType ?? 'application/json';
    if (shape.token !== null) headers.authorization = `Bearer ${shape.token ?? TOKEN}`;
    const method = shape.method ?? 'POST';
    const response = await fetch(`http://${api.address}:${api.port}${shape.path ?? '/v1/messages'}`, {
      method,
      headers,
      ...(method === 'GET' ? {} : { body: shape.body }),
    });
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text) as Answer['body'] };
  }

  /** The contract every answer keeps; `expectedMessages` is how many a 202 must have enqueued. */
  async function checkAnswer(
    shape: RequestShape,
    expectedMessages: (answer: Answer) => number | undefined = () => undefined,
  ): Promise<Answer> {
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
    expect(typeof answer.body.error === 'string' && answer.body.error.length > 0, 'error says what is wrong').toBe(
      true,
    );
    if (answer.status === 400 || answer.status === 413) {
      const problems = answer.body.problems as { path?: unknown; message?: unknown }[] | undefined;
      expect(
        Array.isArray(problems) && problems.length > 0,
        `problems for ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`,
      ).toBe(true);
      for (const problem of problems ?? []) {
        expect(typeof problem.path === 'string' && problem.path.length > 0).toBe(true);
        expect(typeof problem.message === 'string' && problem.message.length > 0).toBe(true);
      }
    }
    return answer;
  }

  const problemPaths = (answer: Answer): string[] =>
    ((answer.body.problems ?? []) as { path: string }[]).map((problem) => problem.path);
  return { request, checkAnswer, problemPaths };
}

/** `depth` levels of alternating arrays and objects, as JSON text. */
export function nestedJson(depth: number): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let level = 0; level < depth; level++) {
    open.push(level % 2 === 0 ? '[' : '{"a":');
    close.push(level % 2 === 0 ? ']' : '}');
  }
  return `${open.join('')}"x"${close.reverse().join('')}`;
}
