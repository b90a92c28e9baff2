/**
 * Layering: for one parameter set at every layer, the most specific layer wins (source × domain >
 * source × provider > source > domain > provider > config default > built-in default), and the
 * result says which layer set each parameter. Also: suffix domain blocks order by length, the
 * config's providers win over presets, extending and replacing presets, and the printed table.
 */
import { describe, expect, test } from 'vitest';
import { loadShapingConfig } from '../../../../mta-under-test/reference/core/shaping/config.ts';
import type { ShapingConfigInput } from '../../../../mta-under-test/reference/core/shaping/config.ts';
import { DEFAULT_SHAPING_PARAMS, PARAM_NAMES } from '../../../../mta-under-test/reference/core/shaping/params.ts';
import { renderResolvedShaping } from '../../../../mta-under-test/reference/core/shaping/render.ts';
import { resolveShaping } from '../../../../mta-under-test/reference/core/shaping/resolve.ts';

const GMAIL_MX = ['gmail-smtp-in.l.google.com', 'alt1.gmail-smtp-in.l.google.com'];
const QUERY = { domain: 'gmail.com', mxHosts: GMAIL_MX, source: 'ip-1' };

/** connectionLimit set at every layer, each to a different value. */
const EVERY_LAYER: ShapingConfigInput = {
  default: { connectionLimit: 2 },
  providers: { gmail: { connectionLimit: 3 } },
  domains: { 'gmail.com': { connectionLimit: 4 } },
  sources: {
    'ip-1': {
      connectionLimit: 5,
      providers: { gmail: { connectionLimit: 6 } },
      domains: { 'gmail.com': { connectionLimit: 7 } },
    },
  },
};

/** EVERY_LAYER with the named layers taken out. */
function without(
  ...layers: ('default' | 'provider' | 'domain' | 'source' | 'source-provider' | 'source-domain')[]
): ShapingConfigInput {
  const has = (layer: (typeof layers)[number]) => !layers.includes(layer);
  const source = {
    ...(has('source') ? { connectionLimit: 5 } : {}),
    ...(has('source-provider') ? { providers: { gmail: { connectionLimit: 6 } } } : {}),
    ...(has('source-domain') ? { domains: { 'gmail.com': { connectionLimit: 7 } } } : {}),
  };
  return {
    ...(has('default') ? { default: { connectionLimit: 2 } } : {}),
    ...(has('provider') ? { providers: { gmail: { connectionLimit: 3 } } } : {}),
    ...(has('domain') ? { domains: { 'gmail.com': { connectionLimit: 4 } } } : {}),
    sources: { 'ip-1': source },
  };
}

describe('precedence', () => {
  test.each([
    [[], 7, 'source-domain', 'ip-1 × gmail.com'],
    [['source-domain'], 6, 'source-provider', 'ip-1 × gmail'],
    [['source-domain', 'source-provider'], 5, 'source', 'ip-1'],
    [['source-domain', 'source-provider', 'source'], 4, 'domain', 'gmail.com'],
    [['source-domain', 'source-provider', 'source', 'domain'], 3, 'provider', 'gmail'],
    [['source-domain', 'source-provider', 'source', 'domain', 'provider'], 2, 'default', 'config'],
    [
      ['source-domain', 'source-provider', 'source', 'domain', 'provider', 'default'],
      DEFAULT_SHAPING_PARAMS.connectionLimit,
      'default',
      'built-in',
    ],
  ] as const)('without %j, connectionLimit is %i from %s %s', (removed, value, layer, name) => {
    // Act
    const result = resolveShaping(loadShapingConfig(without(...removed)), QUERY);
    // Assert
    expect(result.effective.connectionLimit).toBe(value);
    expect(result.setBy.connectionLimit).toEqual({ layer, name });
  });

  test('layers are listed in the order they apply', () => {
    const result = resolveShaping(loadShapingConfig(EVERY_LAYER), QUERY);
    expect(result.layers.map((layer) => `${layer.layer}:${layer.name}`)).toEqual([
      'default:built-in',
      'default:config',
      'provider:gmail (built-in)',
      'provider:gmail',
      'domain:gmail.com',
      'source:ip-1',
      'source-provider:ip-1 × gmail',
      'source-domain:ip-1 × gmail.com',
    ]);
  });

  test("another source, or none, gets none of ip-1's layers", () => {
    const config = loadShapingConfig(EVERY_LAYER);
    expect(resolveShaping(config, { ...QUERY, source: 'ip-2' }).effective.connectionLimit).toBe(4);
    const anySource = resolveShaping(config, { domain: 'gmail.com', mxHosts: GMAIL_MX });
    expect(anySource.source).toBeNull();
    expect(anySource.effective.connectionLimit).toBe(4);
  });

  test('a later layer can lift an inherited limit with null', () => {
    const config = loadShapingConfig({ domains: { 'gmail.com': { maxMessageRate: null } } });
    const result = resolveShaping(config, QUERY);
    expect(result.effective.maxMessageRate).toBeNull();
    expect(result.setBy.maxMessageRate).toEqual({ layer: 'domain', name: 'gmail.com' });
  });

  test('every parameter is resolved and attributed', () => {
    const result = resolveShaping(loadShapingConfig({}), { domain: 'example.net', mxHosts: ['mx.example.net'] });
    expect(Object.keys(result.effective).sort()).toEqual([...PARAM_NAMES].sort());
    expect(result.effective).toEqual(DEFAULT_SHAPING_PARAMS);
    for (const name of PARAM_NAMES) expect(result.setBy[name]).toEqual({ layer: 'default', name: 'built-in' });
  });
});

describe('domain blocks', () => {
  const config = loadShapingConfig({
    domains: {
      '.example.com': { connectionLimit: 2, maxRecipientsPerMessage: 10 },
      '.mail.example.com': { connectionLimit: 3 },
      'eu.mail.example.com': { connectionLimit: 4 },
    },
  });
  const resolve = (domain: string) => resolveShaping(config, { domain, mxHosts: [`mx.${domain}`] });

  test('the exact block beats the longer suffix, which beats the shorter one', () => {
    expect(resolve('eu.mail.example.com').effective.connectionLimit).toBe(4);
    expect(resolve('us.mail.example.com').effective.connectionLimit).toBe(3);
    expect(resolve('shop.example.com').effective.connectionLimit).toBe(2);
    // What a more specific block does not set still comes from the broader one.
    expect(resolve('eu.mail.example.com').setBy.maxRecipientsPerMessage).toEqual({
      layer: 'domain',
      name: '.example.com',
    });
  });

  test('a suffix block does not match the bare domain, and case does not matter', () => {
    expect(resolve('example.com').effective.connectionLimit).toBe(DEFAULT_SHAPING_PARAMS.connectionLimit);
    expect(resolve('EU.Mail.Example.com').effective.connectionLimit).toBe(4);
  });
});

describe('providers', () => {
  test("the config's own provider wins over a preset that also matches", () => {
    const config = loadShapingConfig({
      providers: { 'google-relay': { match: [{ mxSuffix: '.l.google.com' }], connectionLimit: 1 } },
    });
    const result = resolveShaping(config, QUERY);
    expect(result.provider).toBe('google-relay');
    expect(result.effective.connectionLimit).toBe(1);
    expect(result.effective.providerConnectionLimit).toBeNull();
  });

  test("extending a preset keeps its numbers and adds the config's match rules", () => {
    const config = loadShapingConfig({
      providers: { gmail: { match: [{ domainSuffix: 'googlemail.example' }], maxDeliveriesPerConnection: 30 } },
    });
    const byDomain = resolveShaping(config, { domain: 'googlemail.example', mxHosts: ['mx.elsewhere.net'] });
    expect(byDomain.provider).toBe('gmail');
    expect(byDomain.effective.maxDeliveriesPerConnection).toBe(30);
    expect(byDomain.setBy.providerConnectionLimit).toEqual({ layer: 'provider', name: 'gmail (built-in)' });
  });

  test('replacing a preset drops its numbers and its match rules', () => {
    const config = loadShapingConfig({
      providers: {
        gmail: { replaceBase: true, match: [{ hostName: 'gmail-smtp-in.l.google.com' }], connectionLimit: 2 },
      },
    });
    expect(resolveShaping(config, { ...QUERY, mxHosts: ['gmail-smtp-in.l.google.com'] }).effective).toMatchObject({
      connectionLimit: 2,
      providerConnectionLimit: null,
      enableTls: 'opportunistic',
    });
    expect(resolveShaping(config, QUERY).provider).toBeNull();
  });

  test('with built-in providers off, Gmail is just another domain', () => {
    const result = resolveShaping(loadShapingConfig({ builtInProviders: false }), QUERY);
    expect(result.provider).toBeNull();
    expect(result.effective).toEqual(DEFAULT_SHAPING_PARAMS);
  });

  test('the site is the MX rollup, and an empty MX list means the implicit MX', () => {
    const config = loadShapingConfig({});
    expect(resolveShaping(config, QUERY).site).toBe('(alt1)?.gmail-smtp-in.l.google.com');
    expect(resolveShaping(config, { domain: 'Tiny.Example', mxHosts: [] }).site).toBe('tiny.example');
  });
});

test('the resolved table names every parameter, its value and the layer that set it', () => {
  // Arrange
  const config = loadShapingConfig({
    sources: { 'ip-1': { connectionLimit: 2, providers: { gmail: { providerMaxMessageRate: '500/h' } } } },
  });
  // Act
  const text = renderResolvedShaping(resolveShaping(config, QUERY));
  // Assert
  expect(text).toBe(
    [
      'domain   gmail.com',
      'site     (alt1)?.gmail-smtp-in.l.google.com',
      'provider gmail',
      'source   ip-1',
      '',
      'parameter                                 value      from layer',
      'connectionLimit                           2          source ip-1',
      'maxDeliveriesPerConnection                50         provider gmail (built-in)',
      'maxMessageRate                            100/s      default built-in',
      'maxConnectionRate                         100/min    default built-in',
      'idleTimeoutMs                             1min       default built-in',
      'connectTimeoutMs                          1min       default built-in',
      'enableTls                                 required   provider gmail (built-in)',
      'maxRecipientsPerMessage                   100        default built-in',
      'consecutiveConnectionFailuresBeforeDelay  5          provider gmail (built-in)',
      'providerConnectionLimit                   5          provider gmail (built-in)',
      'providerMaxMessageRate                    500/h      source-provider ip-1 × gmail',
      'sourceConnectionLimit                     unlimited  default built-in',
      'sourceMaxMessageRate                      unlimited  default built-in',
      '',
    ].join('\n'),
  );
});
