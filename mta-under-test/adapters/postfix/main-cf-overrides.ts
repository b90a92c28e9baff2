/**
 * A user's main.cf tuning for the private instance (issue 22: "Postfix with a main.cf tweak"):
 * concurrency, rate delays, connection caching, recipient limits, timeouts. What the bench
 * itself sets to keep Postfix on loopback and on the run's clock cannot be overridden: routing
 * (transports, relays, DNS, bind addresses, networks), paths, and the timers scaled to the
 * run's clock. An override of one of those is refused by name (DESIGN rule 6: nothing outside
 * loopback is ever a target), as is a name or value that would split a main.cf line.
 */
const PARAMETER_NAME = /^[a-z][a-z0-9_]*$/;
/** What routes mail, binds addresses, names paths or sets the scaled timers: the bench's. */
const BENCH_OWNED =
  /relay|transport|bind_address|interfaces|mynetworks|dns|host_lookup|directory|maillog|fallback|mydestination|myhostname|mydomain|myorigin|proxy|_maps$|restrictions$|backoff_time|queue_run_delay|queue_lifetime|transport_retry_time|notify_classes|local_|alias|compatibility_level/;

export type MainCfOverrides = Readonly<Record<string, string>>;

/** The problems with the overrides, each naming the parameter; empty when they can be applied. */
export function mainCfOverrideIssues(overrides: MainCfOverrides): string[] {
  const issues: string[] = [];
  for (const [name, value] of Object.entries(overrides)) {
    if (!PARAMETER_NAME.test(name)) issues.push(`mainCf[${JSON.stringify(name)}]: not a main.cf parameter name`);
    else if (BENCH_OWNED.test(name))
      issues.push(
        `mainCf.${name}: set by the bench (it keeps the instance on loopback, in its work dir and on the run's clock)`,
      );
    if (typeof value !== 'string' || /[\r\n]/.test(value))
      issues.push(`mainCf.${name}: the value must be one line of text (got ${JSON.stringify(value)})`);
  }
  return issues;
}
