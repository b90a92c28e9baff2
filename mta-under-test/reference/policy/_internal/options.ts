/**
 * Input options → resolved options, for every policy component: unknown keys are errors,
 * every problem is reported at once with its field (STYLE §0 items 5-6).
 */

export type Resolved<T> = { readonly [K in keyof Required<T>]: Exclude<T[K], undefined> };

export function resolveOptions<T extends object>(
  label: string,
  defaults: Resolved<T>,
  options: T,
  validate: (resolved: Resolved<T>) => string[],
): Resolved<T> {
  const given = Object.entries(options).filter(([, value]) => value !== undefined);
  const unknown = given.filter(([key]) => !(key in defaults)).map(([key]) => `${key}: unknown option`);
  const resolved = { ...defaults, ...Object.fromEntries(given) } as Resolved<T>;
  const problems = [...unknown, ...validate(resolved)];
  if (problems.length > 0) throw new RangeError(`${label} options: ${problems.join('; ')}`);
  return resolved;
}

/** Pushes a problem unless `value` is a finite number above 0. */
export function requirePositive(problems: string[], field: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) problems.push(`${field}: must be a positive number (got ${value})`);
}

/** Pushes a problem unless `value` lies in [low, high]. */
export function requireWithin(problems: string[], field: string, value: number, low: number, high: number): void {
  if (!(value >= low && value <= high)) problems.push(`${field}: must be in [${low}, ${high}] (got ${value})`);
}
