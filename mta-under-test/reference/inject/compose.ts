/**
 * Turns an injection message into the RFC 5322 bytes the engine spools: a raw message is
 * kept as given (line ends made CRLF), content is composed by nodemailer's MailComposer (MIME
 * structure, encodings, Message-ID, Date), which is what a sender would otherwise hand-write.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import type { InjectionMessage } from './request.ts';

export async function composeMessage(message: InjectionMessage): Promise<string> {
  if ('raw' in message.body) {
    const { raw } = message.body;
    // Already CRLF throughout (the usual case): kept as it is, no second copy of a large message.
    return /(^|[^\r])\n/.test(raw) ? raw.replace(/\r?\n/g, '\r\n') : raw;
  }
  const { content } = message.body;
  const composer = new MailComposer({
    from: content.from,
    to: message.recipients.join(', '),
    subject: content.subject,
    ...(content.text === undefined ? {} : { text: content.text }),
    ...(content.html === undefined ? {} : { html: content.html }),
    ...(content.headers === undefined ? {} : { headers: content.headers }),
  });
  const built = await composer.compile().build();
  return built.toString('utf8');
}
