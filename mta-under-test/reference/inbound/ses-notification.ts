/**
 * Amazon SES event notifications mailed through SNS: a JSON body (or an SNS envelope whose
 * `Message` is that JSON) instead of a DSN. Documented by AWS as "Amazon SES notification
 * contents": `notificationType` Bounce | Complaint | Delivery, `bounce.bouncedRecipients[]` with
 * `emailAddress`, `action`, `status`, `diagnosticCode`, and `bounce.reportingMTA`;
 * `complaint.complainedRecipients[]` and `complaint.complaintFeedbackType`.
 */
import { mtaName, typedAddress } from './fields.ts';
import type { DsnRecipientBlock } from './report.ts';

export type SesReading =
  | { readonly kind: 'bounce'; readonly reportingMta?: string; readonly recipients: readonly DsnRecipientBlock[] }
  | { readonly kind: 'complaint'; readonly feedbackType: string; readonly recipients: readonly string[] };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const stringOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** The first JSON object written in the text, or undefined. */
function firstJsonObject(text: string): Json | undefined {
  const start = text.indexOf('{');
  if (start === -1) return undefined;
  // The object ends at the last closing brace of its paragraph (SNS writes it on one line).
  const paragraphEnd = text.indexOf('\n\n', start);
  const candidate = text.slice(start, paragraphEnd === -1 ? undefined : paragraphEnd).replace(/\r?\n/g, '');
  const end = candidate.lastIndexOf('}');
  try {
    const value: unknown = JSON.parse(candidate.slice(0, end + 1));
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Reads an SES notification out of a mail body; undefined when the body is not one. */
export function readSesNotification(text: string): SesReading | undefined {
  let event = firstJsonObject(text);
  // An SNS envelope: {"Type": "Notification", "Message": "<the event as a JSON string>"}.
  const wrapped = stringOf(event?.Message);
  if (wrapped !== undefined) event = firstJsonObject(wrapped);
  if (event === undefined) return undefined;
  const type = stringOf(event.notificationType ?? event.eventType)?.toLowerCase();
  if (type === 'bounce' && isObject(event.bounce)) {
    const bounce = event.bounce;
    const permanent = stringOf(bounce.bounceType) === 'Permanent';
    const listed = Array.isArray(bounce.bouncedRecipients) ? bounce.bouncedRecipients.filter(isObject) : [];
    const recipients = listed.flatMap((entry): DsnRecipientBlock[] => {
      const address = typedAddress(stringOf(entry.emailAddress));
      if (address === undefined) return [];
      const status = stringOf(entry.status)?.match(/[245]\.\d{1,3}\.\d{1,3}/)?.[0] ?? (permanent ? '5.0.0' : '4.0.0');
      const diagnostic = stringOf(entry.diagnosticCode);
      return [
        {
          finalRecipient: address,
          action: stringOf(entry.action)?.toLowerCase() ?? (status.startsWith('5') ? 'failed' : 'delayed'),
          status,
          ...(diagnostic === undefined ? {} : { diagnosticCode: diagnostic }),
        },
      ];
    });
    const reportingMta = mtaName(stringOf(bounce.reportingMTA));
    return { kind: 'bounce', ...(reportingMta === undefined ? {} : { reportingMta }), recipients };
  }
  if (type === 'complaint' && isObject(event.complaint)) {
    const complaint = event.complaint;
    const listed = Array.isArray(complaint.complainedRecipients) ? complaint.complainedRecipients.filter(isObject) : [];
    const recipients = listed
      .map((entry) => typedAddress(stringOf(entry.emailAddress)))
      .filter((address): address is string => address !== undefined);
    return {
      kind: 'complaint',
      feedbackType: stringOf(complaint.complaintFeedbackType)?.toLowerCase() ?? 'abuse',
      recipients,
    };
  }
  return undefined;
}
