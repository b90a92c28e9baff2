/**
 * DESIGN rule 6: the bench binds and targets 127.0.0.0/8 only. One check, used wherever an
 * address enters the bench (scenario files, listeners).
 */
const LOOPBACK_IPV4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function isLoopbackIpv4(address: string): boolean {
  const match = LOOPBACK_IPV4.exec(address);
  return match !== null && match.slice(1).every((part) => Number(part) <= 255);
}
