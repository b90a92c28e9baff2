/**
 * The built-in provider blocks: each matches the MX host names its provider really uses (from
 * ../shared/facts/isp-behaviors.md §4) and nothing else, every number carries a citation or an
 * `@assumption`, and the simulated fleet's providers are recognised by the block of the same name.
 * The last check imports the fleet's profiles, which the engine itself never may.
 */
import { describe, expect, test } from 'vitest';
import { PROVIDER_PROFILES } from '../../../../sim/receivers/providers/index.ts';
import { loadShapingConfig } from '../../../../mta-under-test/reference/core/shaping/config.ts';
import { PARAM_NAMES } from '../../../../mta-under-test/reference/core/shaping/params.ts';
import { BUILT_IN_PROVIDERS } from '../../../../mta-under-test/reference/core/shaping/presets.ts';
import { hasSuffix, providerMatches } from '../../../../mta-under-test/reference/core/shaping/provider-match.ts';
import { resolveShaping } from '../../../../mta-under-test/reference/core/shaping/resolve.ts';

const config = loadShapingConfig({});
const providerFor = (domain: string, mxHosts: readonly string[]) =>
  resolveShaping(config, { domain, mxHosts }).provider;

describe('MX names from the fact base match the right preset', () => {
  test.each([
    [
      'gmail',
      'gmail.com',
      ['gmail-smtp-in.l.google.com', 'alt1.gmail-smtp-in.l.google.com', 'alt4.gmail-smtp-in.l.google.com.'],
    ],
    ['gmail', 'workspace-customer.example', ['aspmx.l.google.com', 'alt1.aspmx.l.google.com']],
    ['outlook', 'hotmail.com', ['hotmail-com.olc.protection.outlook.com']],
    ['outlook', 'outlook.com', ['outlook-com.olc.protection.outlook.com', 'eur.olc.protection.outlook.com']],
    ['outlook', 'live.com', ['mx1.hotmail.com', 'mx2.hotmail.com']],
    ['yahoo', 'yahoo.com', ['mta5.am0.yahoodns.net', 'mta6.am0.yahoodns.net', 'mta7.am0.yahoodns.net']],
    ['yahoo', 'aol.com', ['mx-aol.mail.gm0.yahoodns.net']],
    ['orange', 'wanadoo.fr', ['smtp-in.orange.fr', 'smtp-in2.orange.fr']],
    ['sfr', 'neuf.fr', ['smtp-in.sfr.fr']],
    ['free', 'free.fr', ['mx1.free.fr', 'mx2.free.fr']],
    ['laposte', 'laposte.net', ['smtpz4.laposte.net']],
    ['gmx-webde', 'gmx.de', ['mx00.emig.gmx.net', 'mx01.emig.gmx.net']],
    ['gmx-webde', 'web.de', ['mx-ha02.web.de', 'mx-ha03.web.de']],
    ['t-online', 't-online.de', ['mx00.t-online.de', 'mx03.t-online.de']],
    ['libero', 'libero.it', ['smtp-in.libero.it']],
    ['libero', 'virgilio.it', ['smtp-in.virgilio.it']],
    ['libero', 'iol.it', ['mx.iol.it']],
  ])('%s ← %s', (expected, domain, mxHosts) => {
    expect(providerFor(domain, mxHosts)).toBe(expected);
  });

  test.each([
    ['a vanity domain that mixes Google with its own MX', 'mixed.example', ['aspmx.l.google.com', 'mx.mixed.example']],
    ['a look-alike suffix', 'evil.example', ['mx.notgoogle.com']],
    ['the bare suffix host', 'odd.example', ['google.com']],
    ['an unknown ISP', 'seznam.cz', ['mx1.seznam.cz', 'mx2.seznam.cz']],
    ['no MX at all (implicit MX is the domain)', 'tiny.example', []],
  ])('no preset matches %s', (_why, domain, mxHosts) => {
    expect(providerFor(domain, mxHosts)).toBeNull();
  });
});

describe('match rules', () => {
  test('a domainSuffix rule matches without looking at the MX hosts', () => {
    expect(
      providerMatches([{ domainSuffix: 'example.com' }], { domain: 'mail.example.com', mxHosts: ['mx.elsewhere.net'] }),
    ).toBe(true);
    expect(providerMatches([{ domainSuffix: 'example.com' }], { domain: 'example.com', mxHosts: [] })).toBe(true);
    expect(providerMatches([{ domainSuffix: 'example.com' }], { domain: 'notexample.com', mxHosts: [] })).toBe(false);
  });

  test('a hostName rule matches that host exactly', () => {
    const rules = [{ hostName: 'gmail-smtp-in.l.google.com' }];
    expect(providerMatches(rules, { domain: 'x.example', mxHosts: ['GMAIL-SMTP-IN.L.GOOGLE.COM.'] })).toBe(true);
    expect(providerMatches(rules, { domain: 'x.example', mxHosts: ['alt1.gmail-smtp-in.l.google.com'] })).toBe(false);
  });

  test('suffixes match on label boundaries', () => {
    expect(hasSuffix('alt1.gmail-smtp-in.l.google.com', '.google.com')).toBe(true);
    expect(hasSuffix('google.com', '.google.com')).toBe(false);
    expect(hasSuffix('google.com', 'google.com')).toBe(true);
    expect(hasSuffix('notgoogle.com', 'google.com')).toBe(false);
  });
});

describe('every number is sourced', () => {
  test.each(BUILT_IN_PROVIDERS.map((preset) => [preset.name, preset] as const))(
    '%s cites each parameter it sets',
    (_name, preset) => {
      const set = PARAM_NAMES.filter((name) => name in preset.params);
      expect(set.length).toBeGreaterThan(0);
      expect(Object.keys(preset.citations).sort()).toEqual([...set].sort());
      for (const name of set)
        expect(preset.citations[name]).toMatch(/KumoCorp\/kumomta|facts\/isp-behaviors\.md|https:\/\/|@assumption: \S/);
    },
  );

  test('preset names are unique', () => {
    const names = BUILT_IN_PROVIDERS.map((preset) => preset.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('the simulated fleet', () => {
  const presetNames = new Set(BUILT_IN_PROVIDERS.map((preset) => preset.name));
  test.each(PROVIDER_PROFILES.map((profile) => [profile.id, profile] as const))(
    '%s is recognised from its MX hosts',
    (id, profile) => {
      for (const domain of profile.domains) {
        expect(providerFor(domain, profile.mxHosts)).toBe(presetNames.has(id) ? id : null);
      }
    },
  );
});
