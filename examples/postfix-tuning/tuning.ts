/**
 * Our Postfix tuning, as main.cf settings mailbench applies to its private instance. Stock
 * Postfix opens up to 20 parallel connections to one destination; GMX/Web.de, Orange and
 * T-Online accept about 4 per sending IP and answer "Too many connections" past that, which
 * Postfix retries as a deferral. Four per destination is what the ISPs allow.
 */
export const EU_ISP_TUNING = {
  default_destination_concurrency_limit: '4',
} as const;
