/**
 * The bounce reader on notices written after each MTA's template (test/fixtures/bounces/), so
 * its reading of a family holds beyond the corpus files: several recipients in one notice, each
 * with its own reply; a summary that names recipients before the failure list (Exchange 2003);
 * a local failure beside a remote one (qmail); Postfix's prose without a DSN part; Domino's
 * "was not delivered to … because:"; GroupWise's "address (reason)" lines.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { bounceLines } from '../../../../cli/bounces-command.ts';
import { readInboundReport } from '../../../../mta-under-test/reference/inbound/read-report.ts';

const TEMPLATES = new URL('../../../fixtures/bounces/', import.meta.url);

async function read(file: string) {
  const lines = bounceLines(file, await readInboundReport(readFileSync(new URL(file, TEMPLATES))));
  return lines.map((line) => [
    line.recipient,
    line.code,
    line.enhanced,
    line.writer,
    line.smtpCommand,
    line.class,
    line.hard,
  ]);
}

test.each([
  [
    'exim-two.eml',
    [
      ['alice@example.org', 550, '5.1.1', 'exim', 'rcpt', 'unknown-user', true],
      ['bob@example.org', null, '5.0.0', 'exim', null, 'bad-domain', true],
    ],
  ],
  [
    'qmail-three.eml',
    [
      ['a1@example.com', 550, '5.1.1', 'qmail', null, 'unknown-user', true],
      ['a2@example.com', 554, '5.7.1', 'qmail', null, 'content-spam', false],
      ['a3@example.net', null, '5.1.2', 'qmail', null, 'bad-domain', true],
    ],
  ],
  [
    'postfix-prose.eml',
    [
      ['dave@example.com', 552, '5.2.2', 'postfix', 'rcpt', 'mailbox-full', false],
      ['erin@example.com', null, '5.0.0', 'postfix', null, 'network-error', false],
    ],
  ],
  [
    'ex2003-two.eml',
    [
      ['frank@corp.example', null, '5.0.0', 'exchange', null, 'unknown-user', true],
      ['gina@corp.example', null, '5.0.0', 'exchange', null, 'policy-block', false],
    ],
  ],
  ['domino.eml', [['carol@acme.example', null, '5.0.0', 'domino', null, 'unknown-user', true]]],
  [
    'groupwise.eml',
    [
      ['henry@example.org', null, '5.0.0', null, null, 'unknown-user', true],
      ['iris@example.org', null, '5.0.0', null, null, 'mailbox-full', false],
    ],
  ],
])('%s', async (file, expected) => {
  expect(await read(file)).toEqual(expected);
});
