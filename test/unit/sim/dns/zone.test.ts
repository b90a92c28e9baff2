/**
 * The sim DNS answers the three outcomes mail cares about: records, NODATA and NXDOMAIN, with
 * MX sorted by preference and names compared without case or a trailing dot.
 */
import { expect, test } from 'vitest';
import { DnsZone } from '../../../../sim/dns/zone.ts';

test('MX records come back by preference; names ignore case and the root dot', () => {
  const zone = new DnsZone()
    .addMx('gmail.com', 'alt1.gmail-smtp-in.l.google.com', 10)
    .addMx('gmail.com', 'gmail-smtp-in.l.google.com.', 5)
    .addA('gmail-smtp-in.l.google.com', '127.0.1.1');
  expect(zone.mx('GMAIL.com.')).toEqual({
    kind: 'records',
    records: [
      { priority: 5, exchange: 'gmail-smtp-in.l.google.com' },
      { priority: 10, exchange: 'alt1.gmail-smtp-in.l.google.com' },
    ],
  });
  expect(zone.a('Gmail-SMTP-In.l.google.com')).toEqual({ kind: 'records', records: ['127.0.1.1'] });
});

test('a known name without the type is NODATA; an unknown name is NXDOMAIN', () => {
  const zone = new DnsZone().addA('mx.example.test', '127.0.1.9').addTxt('_dmarc.example.test', 'v=DMARC1; p=none');
  expect(zone.mx('mx.example.test')).toEqual({ kind: 'nodata' });
  expect(zone.mx('nowhere.test')).toEqual({ kind: 'nxdomain' });
  expect(zone.txt('_dmarc.example.test')).toEqual({ kind: 'records', records: ['v=DMARC1; p=none'] });
  expect(zone.ptr('127.0.0.2')).toEqual({ kind: 'nxdomain' });
});
