/**
 * The shared multipart/report writer (kernel/smtp/report-format.ts) that the receivers' reports
 * (report-mail.ts) and the engine's DSNs are built on: dates as RFC 5322 writes them, field
 * blocks that skip absent values and cannot be broken by a CR or LF in a value, folding only
 * at spaces, and the header section of a message for text/rfc822-headers.
 */
import { expect, test } from 'vitest';
import {
  fieldBlock,
  foldField,
  headerSection,
  multipartReport,
  rfc5322Date,
} from '../../../../kernel/smtp/report-format.ts';

test('an RFC 5322 date in UTC, and a clear error for a time that is none', () => {
  expect(rfc5322Date(Date.UTC(2026, 0, 5))).toBe('Mon, 05 Jan 2026 00:00:00 +0000');
  expect(() => rfc5322Date(Number.NaN)).toThrow(
    'report date must be a time between the years 1900 and 9999 in epoch ms (got NaN)',
  );
});

test('field blocks leave out absent values and flatten line breaks inside values', () => {
  expect(
    fieldBlock([
      ['Action', 'failed'],
      ['Remote-MTA', undefined],
      ['Diagnostic-Code', 'smtp; 550 a\r\nb'],
    ]),
  ).toBe('Action: failed\r\nDiagnostic-Code: smtp; 550 a b');
});

test('folding happens at spaces only and unfolds to the same line', () => {
  const line = `Diagnostic-Code: smtp; 550 5.7.1 ${'word '.repeat(30)}${'x'.repeat(100)}`;
  const folded = foldField(line);
  expect(folded.replace(/\r\n/g, '')).toBe(line);
  for (const part of folded.split('\r\n').slice(0, -1)) expect(part.length).toBeLessThanOrEqual(78);
  expect(foldField('Short: line')).toBe('Short: line');
});

test('the header section of a message, with LF or CRLF line ends', () => {
  expect(headerSection('From: a\nTo: b\n\nbody\n')).toBe('From: a\r\nTo: b\r\n');
  expect(headerSection('From: a\r\nTo: b')).toBe('From: a\r\nTo: b\r\n');
});

test('extra header lines go after Message-ID, and a report id that is no token is refused', () => {
  const envelope = {
    from: 'a <a@b.example>',
    to: 'c@d.example',
    dateMs: Date.UTC(2026, 0, 5),
    id: 'x1',
    domain: 'b.example',
  };
  const raw = multipartReport({
    envelope,
    reportType: 'delivery-status',
    subject: 's',
    headers: ['Auto-Submitted: auto-replied'],
    parts: [{ type: 'text/plain', body: 'hi\n\n' }],
  });
  expect(raw).toContain('Message-ID: <x1@b.example>\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n');
  expect(raw.endsWith('--=_mailbench_x1\r\nContent-Type: text/plain\r\n\r\nhi\r\n--=_mailbench_x1--\r\n')).toBe(true);
  expect(() =>
    multipartReport({ envelope: { ...envelope, id: 'a b' }, reportType: 'x', subject: 's', parts: [] }),
  ).toThrow('report id "a b" must be 1 to 50 letters');
});
