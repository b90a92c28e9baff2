/**
 * The injection API's request bodies, checked and turned into messages to enqueue. Every
 * problem is reported with its JSON path and reason, all of them at once (DESIGN rule 7), and
 * nothing is enqueued unless the whole request is good: a batch is accepted or refused as one.
 *
 * Two shapes:
 * - a message: `{ from, to, raw | content, pool?, tenant?, campaign? }`, where `raw` is a
 *   complete RFC 5322 message and `content` is `{ from, subject, text?, html?, headers? }`
 *   that the API composes;
 * - a batch: `{ messages: [message, …] }`, or a template sent to many:
 *   `{ from, content, recipients: [{ to, vars? }], pool?, tenant?, campaign? }`, where
 *   `{{name}}` in the content's subject, text, html and header values takes `vars.name`.
 */
import { addressProblem } from './address.ts';

export interface InjectionLimits {
  /** Largest message, raw or composed, in bytes. @defaultValue 10 MiB */
  readonly messageBytesMax: number;
  /** Most envelope recipients of one message. @defaultValue 1,000 */
  readonly recipientsPerMessageMax: number;
  /** Most recipients in one request. @defaultValue 10,000 */
  readonly recipientsPerRequestMax: number;
}

export const DEFAULT_INJECTION_LIMITS: InjectionLimits = {
  messageBytesMax: 10 * 1024 * 1024,
  recipientsPerMessageMax: 1_000,
  recipientsPerRequestMax: 10_000,
};

/** Who a message is for, on the sender's side: the pool it leaves from and whose it is. */
export interface MessageMeta {
  readonly pool?: string;
  readonly tenant?: string;
  readonly campaign?: string;
}

export interface MessageContent {
  /** The header From, e.g. `News <news@example.com>`. */
  readonly from: string;
  readonly subject: string;
  readonly text?: string;
  readonly html?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One message ready to compose (when `content`) and enqueue. */
export interface InjectionMessage {
  readonly mailFrom: string;
  readonly recipients: readonly string[];
  readonly body: { readonly raw: string } | { readonly content: MessageContent };
  readonly meta: MessageMeta;
}

export interface RequestProblem {
  readonly path: string;
  readonly message: string;
  /** 413 for size limits, 400 for everything else. */
  readonly status: 400 | 413;
}

export type ParsedRequest =
  | { readonly ok: true; readonly messages: readonly InjectionMessage[] }
  | { readonly ok: false; readonly problems: readonly RequestProblem[] };

const MESSAGE_KEYS = ['from', 'to', 'raw', 'content', 'pool', 'tenant', 'campaign'];
const TEMPLATE_KEYS = ['from', 'content', 'recipients', 'pool', 'tenant', 'campaign'];
const CONTENT_KEYS = ['from', 'subject', 'text', 'html', 'headers'];
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

type Json = unknown;

class Problems {
  readonly list: RequestProblem[] = [];
  add(path: string, message: string, status: 400 | 413 = 400): void {
    this.list.push({ path, message, status });
  }
}

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(value: Record<string, Json>, known: readonly string[], path: string, problems: Problems): void {
  for (const key of Object.keys(value)) {
    // A key that is not a plain name (empty, with dots or brackets) is quoted, so the path still names it.
    const step = /^[A-Za-z_$][\w$-]*$/.test(key) ? at(path, key) : `${path}[${JSON.stringify(key)}]`;
    if (!known.includes(key)) problems.add(step, `is not a known field (known: ${known.join(', ')})`);
  }
}

function at(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** A value as a problem message shows it: short, and never the JSON of a deep or huge value. */
function preview(value: Json): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'a list' : 'an object';
}

function readAddress(value: Json, path: string, problems: Problems): string | undefined {
  if (typeof value !== 'string') {
    problems.add(path, value === undefined ? 'is required' : 'must be an address string');
    return undefined;
  }
  const problem = addressProblem(value);
  if (problem !== null) {
    problems.add(path, `"${value}" ${problem}`);
    return undefined;
  }
  return value;
}

function readMeta(
  value: Record<string, Json>,
  path: string,
  problems: Problems,
  pools: ReadonlySet<string>,
): MessageMeta {
  const meta: { pool?: string; tenant?: string; campaign?: string } = {};
  for (const key of ['pool', 'tenant', 'campaign'] as const) {
    const field = value[key];
    if (field === undefined) continue;
    if (typeof field !== 'string' || !NAME.test(field)) {
      problems.add(
        at(path, key),
        `must be a name of letters, digits, '.', '_' or '-', at most 64 characters (got ${preview(field)})`,
      );
      continue;
    }
    if (key === 'pool' && !pools.has(field)) {
      problems.add(at(path, key), `unknown pool "${field}" (known: ${[...pools].join(', ') || 'none'})`);
      continue;
    }
    meta[key] = field;
  }
  return meta;
}

function readContent(
  value: Json,
  path: string,
  problems: Problems,
  limits: InjectionLimits,
): MessageContent | undefined {
  if (!isObject(value)) {
    problems.add(path, 'must be an object { from, subject, text?, html?, headers? }');
    return undefined;
  }
  const start = problems.list.length;
  checkKeys(value, CONTENT_KEYS, path, problems);
  const before = problems.list.length;
  if (typeof value.from !== 'string' || value.from.trim() === '')
    problems.add(at(path, 'from'), 'is required: the header From, e.g. "News <news@example.com>"');
  // A line break in a header value would start another header (`Bcc:` smuggled into From).
  else if (/[\r\n]/.test(value.from))
    problems.add(at(path, 'from'), 'must be one line: a CR or LF would start another header');
  if (typeof value.subject !== 'string') problems.add(at(path, 'subject'), 'is required and must be a string');
  for (const part of ['text', 'html'] as const) {
    if (value[part] !== undefined && typeof value[part] !== 'string') problems.add(at(path, part), 'must be a string');
  }
  if (value.text === undefined && value.html === undefined) problems.add(path, 'needs a text or an html body');
  const headers = value.headers;
  if (headers !== undefined) {
    if (!isObject(headers)) problems.add(at(path, 'headers'), 'must be an object of header name → value');
    else {
      for (const [name, header] of Object.entries(headers)) {
        if (!/^[!-9;-~]+$/.test(name))
          problems.add(at(path, `headers.${name}`), 'is not a valid header name (RFC 5322 §2.2)');
        else if (typeof header !== 'string' || /[\r\n]/.test(header))
          problems.add(at(path, `headers.${name}`), 'must be a one-line string');
      }
    }
  }
  // Measured only once every field checked out, so all values are strings: the JSON of a deeply
  // nested value would overflow JSON.stringify's stack (a 500 instead of a 400).
  if (problems.list.length === start) {
    const size = Buffer.byteLength(JSON.stringify(value));
    if (size > limits.messageBytesMax)
      problems.add(path, `is ${size} bytes, over the ${limits.messageBytesMax}-byte message limit`, 413);
  }
  if (problems.list.length > before) return undefined;
  return value as unknown as MessageContent;
}

function readMessage(
  value: Json,
  path: string,
  problems: Problems,
  limits: InjectionLimits,
  pools: ReadonlySet<string>,
): InjectionMessage | undefined {
  if (!isObject(value)) {
    problems.add(path === '' ? '(body)' : path, 'must be a JSON object');
    return undefined;
  }
  checkKeys(value, MESSAGE_KEYS, path, problems);
  const before = problems.list.length;
  const mailFrom = readAddress(value.from, at(path, 'from'), problems);
  const to = typeof value.to === 'string' ? [value.to] : value.to;
  const recipients: string[] = [];
  if (!Array.isArray(to) || to.length === 0)
    problems.add(at(path, 'to'), 'is required: an address or a non-empty list of addresses');
  else if (to.length > limits.recipientsPerMessageMax)
    problems.add(
      at(path, 'to'),
      `has ${to.length} recipients, more than ${limits.recipientsPerMessageMax} per message`,
    );
  else
    to.forEach((entry: Json, index) => {
      const address = readAddress(entry, `${at(path, 'to')}[${index}]`, problems);
      if (address !== undefined) recipients.push(address);
    });
  let body: InjectionMessage['body'] | undefined;
  if ((value.raw === undefined) === (value.content === undefined))
    problems.add(path === '' ? '(body)' : path, 'needs exactly one of raw (an RFC 5322 message) or content');
  else if (value.raw !== undefined) {
    if (typeof value.raw !== 'string' || !/\r?\n\r?\n/.test(value.raw))
      problems.add(at(path, 'raw'), 'must be an RFC 5322 message: header lines, an empty line, the body');
    else if (Buffer.byteLength(value.raw) > limits.messageBytesMax)
      problems.add(
        at(path, 'raw'),
        `is ${Buffer.byteLength(value.raw)} bytes, over the ${limits.messageBytesMax}-byte message limit`,
        413,
      );
    else body = { raw: value.raw };
  } else {
    const content = readContent(value.content, at(path, 'content'), problems, limits);
    if (content !== undefined) body = { content };
  }
  const meta = readMeta(value, path, problems, pools);
  if (problems.list.length > before || mailFrom === undefined || body === undefined) return undefined;
  return { mailFrom, recipients, body, meta };
}

/** `{{name}}` → vars.name; a name the recipient has no value for is an error, not an empty string. */
function render(template: string, vars: Readonly<Record<string, string>>, path: string, problems: Problems): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g, (_whole, name: string) => {
    const value = vars[name];
    if (value === undefined) {
      problems.add(path, `has no value for {{${name}}}`);
      return '';
    }
    return value;
  });
}

function readTemplated(
  value: Record<string, Json>,
  problems: Problems,
  limits: InjectionLimits,
  pools: ReadonlySet<string>,
): InjectionMessage[] {
  checkKeys(value, TEMPLATE_KEYS, '', problems);
  const mailFrom = readAddress(value.from, 'from', problems);
  const content = readContent(value.content, 'content', problems, limits);
  const meta = readMeta(value, '', problems, pools);
  const recipients = value.recipients;
  if (!Array.isArray(recipients) || recipients.length === 0) {
    problems.add('recipients', 'must be a non-empty list of { to, vars? }');
    return [];
  }
  if (recipients.length > limits.recipientsPerRequestMax) {
    problems.add(
      'recipients',
      `has ${recipients.length} entries, more than ${limits.recipientsPerRequestMax} per request`,
    );
    return [];
  }
  const messages: InjectionMessage[] = [];
  recipients.forEach((entry: Json, index) => {
    const path = `recipients[${index}]`;
    if (!isObject(entry)) {
      problems.add(path, 'must be an object { to, vars? }');
      return;
    }
    checkKeys(entry, ['to', 'vars'], path, problems);
    const to = readAddress(entry.to, `${path}.to`, problems);
    const vars = entry.vars ?? {};
    if (!isObject(vars) || Object.values(vars).some((item) => typeof item !== 'string')) {
      problems.add(`${path}.vars`, 'must be an object of name → string');
      return;
    }
    if (to === undefined || mailFrom === undefined || content === undefined) return;
    const stringVars = vars as Record<string, string>;
    const personal: MessageContent = {
      from: content.from,
      subject: render(content.subject, stringVars, `${path}.vars`, problems),
      ...(content.text === undefined ? {} : { text: render(content.text, stringVars, `${path}.vars`, problems) }),
      ...(content.html === undefined ? {} : { html: render(content.html, stringVars, `${path}.vars`, problems) }),
      ...(content.headers === undefined
        ? {}
        : {
            headers: Object.fromEntries(
              Object.entries(content.headers).map(([name, header]) => [
                name,
                render(header, stringVars, `${path}.vars`, problems),
              ]),
            ),
          }),
    };
    messages.push({ mailFrom, recipients: [to], body: { content: personal }, meta });
  });
  return messages;
}

export function parseSingle(body: Json, limits: InjectionLimits, pools: ReadonlySet<string>): ParsedRequest {
  const problems = new Problems();
  const message = readMessage(body, '', problems, limits, pools);
  return problems.list.length > 0 || message === undefined
    ? { ok: false, problems: problems.list }
    : { ok: true, messages: [message] };
}

export function parseBatch(body: Json, limits: InjectionLimits, pools: ReadonlySet<string>): ParsedRequest {
  const problems = new Problems();
  if (!isObject(body))
    return {
      ok: false,
      problems: [
        {
          path: '(body)',
          message: 'must be a JSON object: { messages: [...] } or { from, content, recipients: [...] }',
          status: 400,
        },
      ],
    };
  let messages: InjectionMessage[] = [];
  if (body.messages !== undefined) {
    checkKeys(body, ['messages'], '', problems);
    if (!Array.isArray(body.messages) || body.messages.length === 0)
      problems.add('messages', 'must be a non-empty list of messages');
    else {
      const total = body.messages.reduce(
        (sum: number, message: Json) => sum + (isObject(message) && Array.isArray(message.to) ? message.to.length : 1),
        0,
      );
      if (total > limits.recipientsPerRequestMax)
        problems.add(
          'messages',
          `has ${total} recipients in all, more than ${limits.recipientsPerRequestMax} per request`,
        );
      else
        body.messages.forEach((message: Json, index) => {
          const read = readMessage(message, `messages[${index}]`, problems, limits, pools);
          if (read !== undefined) messages.push(read);
        });
    }
  } else {
    messages = readTemplated(body, problems, limits, pools);
  }
  return problems.list.length > 0 ? { ok: false, problems: problems.list } : { ok: true, messages };
}
