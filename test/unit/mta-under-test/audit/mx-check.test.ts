/**
 * Check `mx`, asked of the simulated zone: NXDOMAIN, a null MX and a domain with neither MX nor
 * address record are dropped; a domain with only an address record is its own implicit MX and
 * kept; an MX whose hosts do not resolve is flagged; an address literal is dropped.
 */
import { expect, test } from 'vitest';
import { mxFindings } from '../../../../mta-under-test/reference/audit/checks/mx.ts';
import { resolverFor, smallZone } from './zone-resolver.ts';

const zone = smallZone()
  .addMx('nomail.test', '.', 0)
  .addA('implicit.test', '127.0.1.9')
  .addTxt('txtonly.test', 'v=spf1 -all')
  .addMx('dangling.test', 'mx.gone.test');
const resolver = resolverFor(zone);

test('a domain whose MX hosts resolve has no mx finding', () => {
  // Act and assert
  expect(mxFindings('gmail.com', resolver)).toEqual([]);
});

test.each([
  ['nowhere.test', 'mx.nxdomain', /does not exist \(NXDOMAIN\)/],
  ['nomail.test', 'mx.null-mx', /null MX.*RFC 7505/],
  ['txtonly.test', 'mx.no-mail-host', /no MX and no address record/],
  ['[192.0.2.1]', 'mx.address-literal', /address literal/],
])('%s is dropped as %s', (domain, code, detail) => {
  // Act
  const findings = mxFindings(domain, resolver);
  // Assert
  expect(findings).toEqual([{ check: 'mx', code, effect: 'drop', detail: expect.stringMatching(detail) as unknown }]);
});

test('a domain with an address record and no MX is kept as its own implicit MX', () => {
  // Act
  const findings = mxFindings('implicit.test', resolver);
  // Assert
  expect(findings).toEqual([expect.objectContaining({ code: 'mx.implicit', effect: 'flag' })]);
});

test('MX hosts that do not resolve are flagged, not dropped', () => {
  // Act
  const findings = mxFindings('dangling.test', resolver);
  // Assert
  expect(findings).toEqual([
    expect.objectContaining({
      code: 'mx.unroutable',
      effect: 'flag',
      detail: expect.stringContaining('mx.gone.test') as unknown,
    }),
  ]);
});
