/**
 * Over real SMTP the receivers take their authentication verdicts from mailauth, resolving
 * through the sim DNS; in sim mode their own verifier gives the same verdicts.
 *
 * The sender's envelope (bounces@esp-bounces.test) is not aligned with its From domain, which
 * publishes DMARC p=reject: only an aligned DKIM signature that verifies lets the message in.
 * Each way a message is changed after signing is then judged as a real verifier judges it.
 */
import { afterEach, expect, test } from 'vitest';
import { RealScheduler } from '../../kernel/clock/real-clock.ts';
import { dkimSign } from '../../mta-under-test/reference/core/dkim-signer.ts';
import type { AuthenticationResults } from '../../sim/mechanisms/auth/authentication.ts';
import { GMAIL } from '../../sim/receivers/providers/gmail.ts';
import type { Receiver } from '../../sim/receivers/receiver.ts';
import { startListener } from '../../sim/transport/smtp-listener.ts';
import type { Listener } from '../../sim/transport/smtp-listener.ts';
import { openSession, sendOne } from '../support/dialogue.ts';
import { TEST_DKIM_KEY, TEST_SENDER_DOMAIN, receiverFor, receiverWorld } from '../support/receiver-world.ts';
import { RECEIVER_IP, SENDER_IP, connectClient } from '../support/wire.ts';
import { ed25519Key } from '../support/test-keys.ts';

const ENVELOPE = 'bounces@esp-bounces.test';
const RECIPIENT = 'alice@gmail.com';
const OTHER_KEY = {
  ...TEST_DKIM_KEY,
  privateKey: ed25519Key(9),
};

const MESSAGE = [
  `From: News <news@${TEST_SENDER_DOMAIN}>`,
  `To: <${RECIPIENT}>`,
  'Subject: Winter  sale',
  `Message-ID: <auth-1@${TEST_SENDER_DOMAIN}>`,
  '',
  'Hello,   reader.',
  '',
  '',
].join('\r\n');

/** The ways a message reaches a receiver, and whether DKIM (hence DMARC) should pass for each. */
const CASES = [
  { name: 'as signed', message: dkimSign(MESSAGE, TEST_DKIM_KEY), passes: true },
  {
    name: 'relaxed: a field re-spaced and field names re-cased on the way',
    message: dkimSign(MESSAGE, TEST_DKIM_KEY)
      .replace('Subject: Winter  sale', 'SUBJECT:   Winter \t sale')
      .replace('To: <', 'to: <'),
    passes: true,
  },
  {
    name: 'relaxed: trailing blank lines added to the body',
    message: `${dkimSign(MESSAGE, TEST_DKIM_KEY)}\r\n\r\n`,
    passes: true,
  },
  {
    name: 'a signed field changed after signing',
    message: dkimSign(MESSAGE, TEST_DKIM_KEY).replace('Winter  sale', 'Summer sale'),
    passes: false,
  },
  {
    name: 'the body changed after signing (body hash)',
    message: dkimSign(MESSAGE, TEST_DKIM_KEY).replace('reader.', 'reader!'),
    passes: false,
  },
  { name: 'signed with a key DNS does not publish', message: dkimSign(MESSAGE, OTHER_KEY), passes: false },
] as const;

const listeners: Listener[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((listener) => listener.close()));
});

/** A Gmail receiver that also keeps the verdicts the wire brought it, to show where they came from. */
function gmailKeepingVerdicts(clock?: RealScheduler): { receiver: Receiver; verdicts: AuthenticationResults[] } {
  const { context } = receiverWorld({ [RECIPIENT]: 'active' }, clock);
  context.dns.addTxt('esp-bounces.test', 'v=spf1 ip4:127.0.0.0/8 -all');
  const gmail = receiverFor(GMAIL, context, true);
  const verdicts: AuthenticationResults[] = [];
  const receiver: Receiver = Object.assign(Object.create(gmail) as Receiver, {
    prepareData: async (...args: Parameters<NonNullable<Receiver['prepareData']>>) => {
      const prepared = await gmail.prepareData(...args);
      if (prepared.authentication !== undefined) verdicts.push(prepared.authentication);
      return prepared;
    },
  });
  return { receiver, verdicts };
}

async function sendOverSmtp(listener: Listener, message: string): Promise<string> {
  const connection = await connectClient(listener);
  const response = await new Promise<string>((resolve) => {
    connection.send({ from: ENVELOPE, to: [RECIPIENT] }, message, (error, info) =>
      resolve(error === null ? (info?.response ?? '') : (error.response ?? error.message)),
    );
  });
  connection.quit();
  return response;
}

test('on the wire, mailauth judges each change as a real verifier does, and DMARC p=reject follows', async () => {
  const { receiver, verdicts } = gmailKeepingVerdicts(new RealScheduler());
  const listener = await startListener(receiver, { address: RECEIVER_IP });
  listeners.push(listener);

  const answers: { name: string; accepted: boolean }[] = [];
  for (const each of CASES)
    answers.push({ name: each.name, accepted: /^250 /.test(await sendOverSmtp(listener, each.message)) });

  expect(answers).toEqual(CASES.map((each) => ({ name: each.name, accepted: each.passes })));
  expect(
    verdicts.map((verdict) => ({ dkim: verdict.dkim[0]?.result, dmarc: verdict.dmarc.result, spf: verdict.spf })),
  ).toEqual(
    CASES.map((each) => ({ dkim: each.passes ? 'pass' : 'fail', dmarc: each.passes ? 'pass' : 'fail', spf: 'pass' })),
  );
  // The verdicts are mailauth's own, with its reasons.
  expect(verdicts.every((verdict) => verdict.dkim[0]?.reason.startsWith('mailauth: '))).toBe(true);
  expect(verdicts[4]?.dkim[0]?.reason).toMatch(/body hash/);
});

test('in sim mode the receivers’ own verifier gives the same answers to the same messages', () => {
  const { receiver } = gmailKeepingVerdicts();
  const accepted = CASES.map((each) => {
    const session = openSession(receiver, SENDER_IP, false);
    const answer = sendOne(receiver, session, [RECIPIENT], each.message, ENVELOPE).data;
    receiver.close(session);
    return { name: each.name, accepted: answer?.code === 250 };
  });
  expect(accepted).toEqual(CASES.map((each) => ({ name: each.name, accepted: each.passes })));
});
