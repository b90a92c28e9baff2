/**
 * The domain of an email address, as every part of the bench routes and counts by it: what
 * follows the last '@', lower-cased (domains are case-insensitive; local parts are not touched).
 * An address without '@' is taken whole, as a bare domain.
 */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}
