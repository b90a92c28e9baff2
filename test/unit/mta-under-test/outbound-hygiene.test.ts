/**
 * What the engine adds before a message leaves: RFC 8058's two headers when the sender
 * configured an unsubscribe target and the message has none, the correlation header, and a
 * DKIM signature with the From domain's key (or its parent's) that the sim's verifier accepts.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { expect, test } from 'vitest';
import { fromDomain, prepareOutgoing } from '../../../mta-under-test/reference/core/outbound-hygiene.ts';
import { refHeaderLine } from '../../../mta-under-test/reference/verp.ts';
import { DnsZone } from '../../../sim/dns/zone.ts';
import { DkimVerifier } from '../../../sim/mechanisms/auth/dkim.ts';
import { splitMessage } from '../../../sim/mechanisms/auth/message-parts.ts';

const MESSAGE = 'From: News <news@news.example.com>\r\nTo: <a@gmail.com>\r\nSubject: Hello\r\n\r\nBody\r\n';
const { privateKey } = generateKeyPairSync('ed25519');
const KEY = {
  domain: 'example.com',
  selector: 's1',
  privateKey: createPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' })),
};

test('one-click unsubscribe and the correlation header are added, and the parent domain key signs', () => {
  // Arrange
  const dns = new DnsZone().addTxt(
    's1._domainkey.example.com',
    `v=DKIM1; k=ed25519; p=${createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64')}`,
  );
  // Act
  const out = prepareOutgoing(
    { messageId: 'm1', recipient: 'a@gmail.com', data: MESSAGE },
    {
      dkimKeys: [KEY],
      unsubscribe: {
        'news.example.com': {
          https: 'https://news.example.com/u/{token}',
          mailto: 'u@news.example.com?subject={token}',
        },
      },
      correlationHeader: refHeaderLine,
    },
  );
  // Assert
  expect(fromDomain(MESSAGE)).toBe('news.example.com');
  expect(out).toMatch(
    /\r\nList-Unsubscribe: <https:\/\/news\.example\.com\/u\/[A-Za-z0-9_-]+>, <mailto:u@news\.example\.com\?subject=[A-Za-z0-9_-]+>\r\n/,
  );
  expect(out).toMatch(/\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n/);
  expect(out).toMatch(/\r\nX-Mailbench-Ref: /);
  expect(
    out.startsWith(
      'DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=example.com; s=s1; h=from:to:subject:list-unsubscribe:list-unsubscribe-post;',
    ),
  ).toBe(true);
  expect(new DkimVerifier(dns).verify(splitMessage(out)).map((verdict) => verdict.result)).toEqual(['pass']);
});

test('a message that has its own List-Unsubscribe keeps it, and with no key and nothing to add it goes out as given', () => {
  const own = MESSAGE.replace('Subject: Hello', 'Subject: Hello\r\nList-Unsubscribe: <https://elsewhere.example/u>');
  const out = prepareOutgoing(
    { messageId: 'm1', recipient: 'a@gmail.com', data: own },
    { unsubscribe: { 'news.example.com': { https: 'https://news.example.com/u/{token}' } } },
  );
  expect(out).toBe(own);
  expect(prepareOutgoing({ messageId: 'm2', recipient: 'a@gmail.com', data: MESSAGE }, {})).toBe(MESSAGE);
});
