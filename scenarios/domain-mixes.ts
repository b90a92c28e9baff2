/**
 * Recipient domain mixes the library scenarios share, repeated by weight (the population uses
 * them round-robin).
 */

/** A European B2C list: about 35 % Gmail, 20 % Microsoft, 10 % Yahoo/AOL, the rest the EU ISPs. */
export const EU_B2C_DOMAINS: readonly string[] = [
  'gmail.com',
  'gmail.com',
  'gmail.com',
  'gmail.com',
  'gmail.com',
  'gmail.com',
  'gmail.com',
  'outlook.com',
  'hotmail.com',
  'hotmail.fr',
  'live.com',
  'yahoo.com',
  'aol.com',
  'orange.fr',
  'wanadoo.fr',
  'sfr.fr',
  'free.fr',
  'laposte.net',
  'gmx.de',
  'web.de',
  't-online.de',
  'libero.it',
  'seznam.cz',
  'wp.pl',
  'onet.pl',
  'interia.pl',
];

/** The big five European ISPs of issue 6's throughput story. */
export const EU_ISP_DOMAINS: readonly string[] = [
  'orange.fr',
  'wanadoo.fr',
  'sfr.fr',
  'free.fr',
  'gmx.de',
  'web.de',
  't-online.de',
];
