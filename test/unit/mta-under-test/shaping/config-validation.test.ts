/**
 * Validation of shaping files: a good file loads; each kind of mistake is reported with its path
 * and a message that says what is wrong (and, for unknown keys, what is known); all mistakes are
 * reported together, and `loadShapingConfig` throws them as one `ShapingConfigError`.
 */
import { describe, expect, test } from 'vitest';
import { MINUTE_MS, SECOND_MS } from '../../../../kernel/clock/clock.ts';
import {
  ShapingConfigError,
  loadShapingConfig,
  validateShapingConfig,
} from '../../../../mta-under-test/reference/core/shaping/config.ts';
import type { ShapingConfigInput } from '../../../../mta-under-test/reference/core/shaping/config.ts';

const GOOD: ShapingConfigInput = {
  default: { connectionLimit: 8, idleTimeoutMs: '30s', sourceMaxMessageRate: '10000/day' },
  providers: {
    acme: {
      match: [{ mxSuffix: '.acme-mail.net' }, { domainSuffix: 'acme.example' }],
      providerConnectionLimit: 3,
      maxMessageRate: null,
    },
    gmail: { match: [{ hostName: 'mx.gmail-partner.example' }], maxDeliveriesPerConnection: 40 },
  },
  domains: { 'example.com': { enableTls: 'Required' }, '.example.org': { connectTimeoutMs: 15_000 } },
  sources: {
    'ip-1': {
      sourceConnectionLimit: 20,
      providers: { gmail: { providerMaxMessageRate: '500/h' } },
      domains: { 'example.com': { connectionLimit: 1 } },
    },
  },
  builtInProviders: true,
};

/** The single issue produced by a config, for tests that make one mistake. */
function onlyIssue(input: unknown) {
  const issues = validateShapingConfig(input);
  expect(issues).toHaveLength(1);
  return issues[0];
}

test('a good file loads, and strings become typed values', () => {
  // Act
  const config = loadShapingConfig(GOOD);
  // Assert
  expect(validateShapingConfig(GOOD)).toEqual([]);
  expect(config.defaults).toEqual({
    connectionLimit: 8,
    idleTimeoutMs: 30 * SECOND_MS,
    sourceMaxMessageRate: { count: 10_000, perMs: 24 * 60 * MINUTE_MS },
  });
  expect(config.domains).toEqual([
    { pattern: 'example.com', params: { enableTls: 'required' } },
    { pattern: '.example.org', params: { connectTimeoutMs: 15_000 } },
  ]);
  expect(config.providers[0]?.name).toBe('acme');
  expect(config.sources.get('ip-1')?.providers.get('gmail')).toEqual({
    providerMaxMessageRate: { count: 500, perMs: 60 * MINUTE_MS },
  });
});

test('an empty file is valid: built-in defaults and presets only', () => {
  expect(validateShapingConfig({})).toEqual([]);
  expect(loadShapingConfig({}).providers.map((block) => block.name)).toContain('gmail');
});

test('loading does not change the input', () => {
  const input = structuredClone(GOOD);
  loadShapingConfig(input);
  expect(input).toEqual(GOOD);
});

describe('the file as a whole', () => {
  test.each([[null], [[]], ['default: {}'], [42]])('%j is not a configuration', (input) => {
    expect(onlyIssue(input)).toEqual({ path: '', message: 'a shaping configuration must be an object' });
  });

  test('an unknown top-level key is named, with the known keys', () => {
    expect(onlyIssue({ defaults: {} })).toEqual({
      path: 'defaults',
      message: "unknown key 'defaults' (known keys: default, providers, domains, sources, builtInProviders)",
    });
  });

  test('builtInProviders must be a boolean', () => {
    expect(onlyIssue({ builtInProviders: 'yes' })).toEqual({
      path: 'builtInProviders',
      message: 'must be true or false',
    });
  });

  test.each(['providers', 'domains', 'sources'])('%s must be an object keyed by name', (key) => {
    expect(onlyIssue({ [key]: [] })).toEqual({ path: key, message: 'must be an object keyed by name' });
  });
});

describe('parameter blocks', () => {
  test('a block must be an object', () => {
    expect(onlyIssue({ default: 10 })).toEqual({ path: 'default', message: 'must be an object (got 10)' });
    expect(onlyIssue({ domains: { 'example.com': 'fast' } })).toEqual({
      path: 'domains["example.com"]',
      message: "must be an object (got 'fast')",
    });
  });

  test('an unknown parameter is named, with the known keys', () => {
    const issue = onlyIssue({ default: { conectionLimit: 5 } });
    expect(issue?.path).toBe('default.conectionLimit');
    expect(issue?.message).toMatch(
      /^unknown key 'conectionLimit' \(known keys: connectionLimit, maxDeliveriesPerConnection, .*sourceMaxMessageRate\)$/,
    );
  });

  test("a source block's unknown key lists its structural keys too", () => {
    expect(onlyIssue({ sources: { s: { pool: 'x' } } })?.message).toMatch(
      /^unknown key 'pool' \(known keys: providers, domains, connectionLimit, /,
    );
  });

  test.each([
    [{ default: { connectionLimit: -2 } }, 'default.connectionLimit', 'must be a whole number ≥ 1 (got -2)'],
    [{ default: { connectionLimit: 0 } }, 'default.connectionLimit', 'must be a whole number ≥ 1 (got 0)'],
    [
      { default: { maxDeliveriesPerConnection: 2.5 } },
      'default.maxDeliveriesPerConnection',
      'must be a whole number ≥ 1 (got 2.5)',
    ],
    [
      { default: { maxRecipientsPerMessage: '100' } },
      'default.maxRecipientsPerMessage',
      "must be a whole number ≥ 1 (got '100')",
    ],
    [{ default: { sourceConnectionLimit: 0 } }, 'default.sourceConnectionLimit', 'must be a whole number ≥ 1 (got 0)'],
    [
      { default: { maxMessageRate: 100 } },
      'default.maxMessageRate',
      "must be a rate like '100/min', or null for no limit (got 100)",
    ],
    [{ default: { idleTimeoutMs: -1 } }, 'default.idleTimeoutMs', 'must be a whole number ≥ 0 (got -1)'],
    [{ default: { connectTimeoutMs: '0s' } }, 'default.connectTimeoutMs', "must be at least 1 ms (got '0s')"],
    [
      { default: { connectTimeoutMs: true } },
      'default.connectTimeoutMs',
      "must be a duration like '30s' or a number of milliseconds (got true)",
    ],
    [
      { default: { enableTls: 'yes' } },
      'default.enableTls',
      "must be one of opportunistic, required, disabled (got 'yes')",
    ],
  ])('%j → %s: %s', (input, path, message) => {
    expect(onlyIssue(input)).toEqual({ path, message });
  });

  test('a bad rate or duration string is named in the message', () => {
    expect(onlyIssue({ default: { maxConnectionRate: '100/fortnight' } })).toEqual({
      path: 'default.maxConnectionRate',
      message: expect.stringContaining("bad rate '100/fortnight'") as unknown,
    });
    expect(onlyIssue({ default: { idleTimeoutMs: 'a while' } })).toEqual({
      path: 'default.idleTimeoutMs',
      message: expect.stringContaining("bad duration 'a while'") as unknown,
    });
  });

  test('null lifts an inherited limit where a limit is optional', () => {
    expect(
      validateShapingConfig({
        default: { maxMessageRate: null, maxConnectionRate: null },
        sources: { s: { sourceConnectionLimit: null } },
      }),
    ).toEqual([]);
    expect(onlyIssue({ default: { connectionLimit: null } })?.message).toBe('must be a whole number ≥ 1 (got null)');
  });

  test.each([
    [{ default: { providerConnectionLimit: 2 } }, 'default.providerConnectionLimit', 'a provider block'],
    [
      { domains: { 'example.com': { providerMaxMessageRate: '1/s' } } },
      'domains["example.com"].providerMaxMessageRate',
      'a provider block',
    ],
    [{ sources: { s: { providerConnectionLimit: 2 } } }, 'sources.s.providerConnectionLimit', 'a provider block'],
    [
      { providers: { gmail: { sourceConnectionLimit: 2 } } },
      'providers.gmail.sourceConnectionLimit',
      'the default block or a source block',
    ],
    [
      { domains: { 'example.com': { sourceMaxMessageRate: '1/s' } } },
      'domains["example.com"].sourceMaxMessageRate',
      'the default block or a source block',
    ],
    [
      { sources: { s: { providers: { gmail: { sourceConnectionLimit: 1 } } } } },
      'sources.s.providers.gmail.sourceConnectionLimit',
      'the default block or a source block',
    ],
  ])('an aggregate limit outside its home is refused: %j', (input, path, home) => {
    expect(onlyIssue(input)).toEqual({
      path,
      message: expect.stringContaining(`aggregate limit that belongs in ${home}`) as unknown,
    });
  });
});

describe('providers', () => {
  test('a new provider needs match rules', () => {
    expect(onlyIssue({ providers: { acme: { connectionLimit: 2 } } })).toEqual({
      path: 'providers.acme.match',
      message: expect.stringMatching(
        /^required for a provider that is not built in \(built-in: gmail, outlook, /,
      ) as unknown,
    });
  });

  test.each([
    [{ match: [] }, 'providers.acme.match', 'must be a non-empty list of rules like { "mxSuffix": ".example.net" }'],
    [
      { match: { mxSuffix: '.acme.net' } },
      'providers.acme.match',
      'must be a non-empty list of rules like { "mxSuffix": ".example.net" }',
    ],
    [
      { match: ['.acme.net'] },
      'providers.acme.match[0]',
      'must be an object with one of mxSuffix, domainSuffix, hostName',
    ],
    [
      { match: [{ MXSuffix: '.acme.net' }] },
      'providers.acme.match[0].MXSuffix',
      "unknown key 'MXSuffix' (known keys: mxSuffix, domainSuffix, hostName)",
    ],
    [{ match: [{}] }, 'providers.acme.match[0]', 'must have exactly one of mxSuffix, domainSuffix, hostName (got 0)'],
    [
      { match: [{ mxSuffix: '.a.net', hostName: 'mx.a.net' }] },
      'providers.acme.match[0]',
      'must have exactly one of mxSuffix, domainSuffix, hostName (got 2)',
    ],
    [{ match: [{ mxSuffix: ' ' }] }, 'providers.acme.match[0].mxSuffix', 'must be a non-empty host name or suffix'],
    [{ match: [{ mxSuffix: '.a.net' }], replaceBase: 'yes' }, 'providers.acme.replaceBase', 'must be true or false'],
  ])('%j → %s', (entry, path, message) => {
    expect(onlyIssue({ providers: { acme: entry } })).toEqual({ path, message });
  });

  test('replaceBase applies only to a built-in provider', () => {
    expect(onlyIssue({ providers: { acme: { match: [{ mxSuffix: '.a.net' }], replaceBase: true } } })).toEqual({
      path: 'providers.acme.replaceBase',
      message: expect.stringContaining('only applies to a built-in provider') as unknown,
    });
  });

  test('replacing a built-in provider needs its own match rules', () => {
    expect(onlyIssue({ providers: { gmail: { replaceBase: true } } })?.path).toBe('providers.gmail.match');
  });

  test('a built-in provider can be extended without match rules', () => {
    expect(validateShapingConfig({ providers: { gmail: { maxDeliveriesPerConnection: 30 } } })).toEqual([]);
  });

  test('with built-in providers off, a preset name is a new provider and needs match rules', () => {
    expect(onlyIssue({ builtInProviders: false, providers: { gmail: { connectionLimit: 2 } } })?.path).toBe(
      'providers.gmail.match',
    );
  });
});

describe('domains and sources', () => {
  test.each(['exa mple.com', '-bad.example', 'example..com', '', '*.example.com'])('%j is not a domain key', (key) => {
    expect(onlyIssue({ domains: { [key]: {} } })).toEqual({
      path: `domains[${JSON.stringify(key)}]`,
      message: expect.stringContaining('is not a domain') as unknown,
    });
  });

  test('two keys for the same domain are refused', () => {
    expect(onlyIssue({ domains: { 'example.com': {}, 'Example.COM.': {} } })).toEqual({
      path: 'domains["Example.COM."]',
      message: "'Example.COM.' is the same domain as 'example.com'",
    });
  });

  test('a source override for an unknown provider is named, with the known ones', () => {
    expect(onlyIssue({ sources: { 'ip-1': { providers: { gmial: { connectionLimit: 1 } } } } })).toEqual({
      path: 'sources["ip-1"].providers.gmial',
      message: expect.stringMatching(/^unknown provider 'gmial' \(known: gmail, outlook, /) as unknown,
    });
  });

  test("a source override may name the config's own providers, and not presets that are switched off", () => {
    const own = { providers: { acme: { match: [{ mxSuffix: '.acme.net' }] } } };
    expect(validateShapingConfig({ ...own, sources: { s: { providers: { acme: {} } } } })).toEqual([]);
    expect(onlyIssue({ ...own, builtInProviders: false, sources: { s: { providers: { gmail: {} } } } })?.message).toBe(
      "unknown provider 'gmail' (known: acme)",
    );
  });

  test('source × domain keys are checked like domain keys', () => {
    expect(onlyIssue({ sources: { s: { domains: { 'not a domain': {} } } } })?.path).toBe(
      'sources.s.domains["not a domain"]',
    );
  });

  test('a source must be an object', () => {
    expect(onlyIssue({ sources: { s: 'ip-1' } })).toEqual({
      path: 'sources.s',
      message: "must be an object (got 'ip-1')",
    });
  });
});

test('every problem is reported at once, and loading throws them as one error', () => {
  // Arrange
  const input = {
    colour: 'blue',
    default: { connectionLimit: -1, enableTls: 'maybe' },
    sources: { s: { providers: { nope: {} } } },
  };
  // Act
  const thrown = (() => {
    try {
      loadShapingConfig(input);
      return undefined;
    } catch (error) {
      return error;
    }
  })();
  // Assert
  expect(thrown).toBeInstanceOf(ShapingConfigError);
  const error = thrown as ShapingConfigError;
  expect(error.code).toBe('E_SHAPING_CONFIG_INVALID');
  expect(error.issues.map((issue) => issue.path)).toEqual([
    'colour',
    'default.connectionLimit',
    'default.enableTls',
    'sources.s.providers.nope',
  ]);
  expect(error.message).toMatch(/^invalid shaping configuration, 4 problems:\n {2}- colour: unknown key 'colour'/);
  expect(error.message).toContain("  - sources.s.providers.nope: unknown provider 'nope'");
});
