/**
 * Regressions the injection API fuzz (http-inject-fuzz.test.ts) found, each fixed in request.ts
 * or http-api.ts, and the strict reading of JSON bodies: over real HTTP on loopback.
 */
import { describe, expect, test } from 'vitest';
import { injectionApiUnderTest, nestedJson } from '../support/injection-api-harness.ts';

const { checkAnswer, problemPaths } = injectionApiUnderTest();

describe('regressions the fuzz found, fixed in request.ts and http-api.ts', () => {
  const raw = 'Subject: x\r\n\r\nhello\r\n';

  test('a deeply nested pool (or other meta) is a 400 naming it, not a 500 from JSON.stringify', async () => {
    const body = `{"from":"a@example.com","to":"b@example.com","raw":${JSON.stringify(raw)},"pool":${nestedJson(20_000)}}`;
    const answer = await checkAnswer({ body });
    expect(answer.status).toBe(400);
    expect(answer.body.problems).toEqual([
      {
        path: 'pool',
        message: "must be a name of letters, digits, '.', '_' or '-', at most 64 characters (got a list)",
      },
    ]);
  });

  test('deeply nested content is a 400 naming its fields, not a 500', async () => {
    const body = `{"from":"a@example.com","to":"b@example.com","content":{"from":"N <n@example.com>","subject":"s","text":${nestedJson(20_000)}}}`;
    const answer = await checkAnswer({ body });
    expect(answer.status).toBe(400);
    expect(problemPaths(answer)).toEqual(['content.text']);
  });

  test('an unknown key that is not a plain name is quoted in its path (an empty key gave an empty path)', async () => {
    const answer = await checkAnswer({
      body: JSON.stringify({ from: 'a@example.com', to: 'b@example.com', raw, '': 1, 'a.b': 2 }),
    });
    expect(problemPaths(answer)).toEqual(['[""]', '["a.b"]']);
  });

  test('a body that is not JSON, or too big, gets problems naming the whole body', async () => {
    const malformed = await checkAnswer({ body: '{"from": ' });
    expect(malformed.body.problems).toEqual([
      { path: '(body)', message: expect.stringMatching(/^the body is not valid JSON/) as unknown },
    ]);
  });

  test('a message that grows past the limit when composed gets a 413 naming it', async () => {
    // LF line ends become CRLF: under the limit as sent, over it as spooled.
    const grows = `Subject: x\n\n${'a\n'.repeat(4_000)}`;
    const single = await checkAnswer({
      body: JSON.stringify({ from: 'a@example.com', to: 'b@example.com', raw: grows }),
    });
    const batch = await checkAnswer({
      path: '/v1/messages/batch',
      body: JSON.stringify({
        messages: [
          { from: 'a@example.com', to: 'b@example.com', raw },
          { from: 'a@example.com', to: 'b@example.com', raw: grows },
        ],
      }),
    });
    expect(single.status).toBe(413);
    expect(problemPaths(single)).toEqual(['raw']);
    expect(problemPaths(batch)).toEqual(['messages[1].raw']);
  });
});

// Two bugs the fuzzing found in mta-under-test/reference/http/json-http.ts, now fixed there.
describe('strict JSON bodies', () => {
  test('a media type that only starts with application/json (application/json-patch+json) is taken as JSON, not refused with 415', async () => {
    const answer = await checkAnswer({
      contentType: 'application/json-patch+json',
      body: JSON.stringify({ from: 'a@example.com', to: 'b@example.com', raw: 'Subject: x\r\n\r\nhi\r\n' }),
    });
    expect(answer.status).toBe(415);
  });

  test('invalid UTF-8 in a JSON string is refused with 400, not silently replaced by U+FFFD and accepted', async () => {
    const json = Buffer.from(
      JSON.stringify({ from: 'a@example.com', to: 'b@example.com', raw: 'Subject: x\r\n\r\nBAD\r\n' }),
    );
    const at = json.indexOf('BAD');
    const answer = await checkAnswer({
      body: Buffer.concat([json.subarray(0, at), Buffer.from([0xff, 0xfe]), json.subarray(at + 3)]),
    });
    expect(answer.status).toBe(400);
  });
});
