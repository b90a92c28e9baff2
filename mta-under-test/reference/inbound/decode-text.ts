/**
 * Bytes of a report part as text, for the parts mailparser hands over undecoded (the
 * `message/delivery-status` part, the raw message): ISO-2022-JP (JIS) written with its escape
 * sequences, as Japanese MTAs (Domino, KDDI, NTT docomo relays) write Diagnostic-Code, is
 * converted with encoding-japanese; RFC 2047 encoded words in field values (`=?ISO-2022-JP?B?…?=`)
 * are decoded with libmime; anything else is read as UTF-8.
 */
import Encoding from 'encoding-japanese';
import libmime from 'libmime';

const ESCAPE = 0x1b;

export function decodeReportText(content: Buffer | string): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const text = bytes.includes(ESCAPE)
    ? Encoding.convert(Array.from(bytes), { to: 'UNICODE', from: 'JIS', type: 'string' })
    : bytes.toString('utf8');
  return text.includes('=?') ? text.split('\n').map(decodedWords).join('\n') : text;
}

function decodedWords(line: string): string {
  try {
    return libmime.decodeWords(line);
  } catch {
    return line;
  }
}
