/**
 * The receiver family from public MX names, recipient domains and provider names: Gmail and
 * Google Workspace share google.com but not their MX hosts; Microsoft 365 tenants and
 * Outlook.com share protection.outlook.com but not the label before it.
 */
import { expect, test } from 'vitest';
import {
  familyOfDomain,
  familyOfMx,
  familyOfProvider,
  isGateway,
} from '../../../../mta-under-test/reference/core/classifier/family.ts';

test.each([
  ['gmail-smtp-in.l.google.com', 'gmail'],
  ['alt1.gmail-smtp-in.l.google.com.', 'gmail'],
  ['aspmx.l.google.com', 'google-workspace'],
  ['alt2.aspmx.l.google.com', 'google-workspace'],
  ['aspmx3.googlemail.com', 'google-workspace'],
  ['smtp.google.com', 'google-workspace'],
  ['contoso-com.mail.protection.outlook.com', 'microsoft-365'],
  ['hotmail-com.olc.protection.outlook.com', 'outlook'],
  ['mta5.am0.yahoodns.net', 'yahoo'],
  ['eu-smtp-inbound-1.mimecast.com', 'mimecast'],
  ['mx0a-00123456.pphosted.com', 'proofpoint'],
  ['d123.ess.barracudanetworks.com', 'barracuda'],
  ['mx1.hc1234-56.iphmx.com', 'cisco'],
  ['smtp-in.orange.fr', 'orange'],
  ['mx00.emig.gmx.net', 'gmx'],
  ['mx01.mail.icloud.com', 'icloud'],
  ['mx.example.net', null],
])('MX %s → %s', (mxHost, family) => {
  expect(familyOfMx(mxHost)).toBe(family);
});

test('recipient domains and provider names of logs map to the same families', () => {
  expect([familyOfDomain('wanadoo.fr'), familyOfDomain('web.de'), familyOfDomain('corp.example')]).toEqual([
    'orange',
    'gmx',
    null,
  ]);
  expect([
    familyOfProvider('outlook.com'),
    familyOfProvider('gmx-webde'),
    familyOfProvider('cisco-secure-email'),
    familyOfProvider('nobody'),
  ]).toEqual(['outlook', 'gmx', 'cisco', null]);
});

test('gateways are told apart from mailbox providers', () => {
  expect([isGateway('mimecast'), isGateway('microsoft-365'), isGateway('gmail'), isGateway(null)]).toEqual([
    true,
    true,
    false,
    false,
  ]);
});
