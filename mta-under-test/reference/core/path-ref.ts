/** How a path is named to the policy and the suspensions: its source, its site, its provider. */
import type { Path } from './paths.ts';

export interface PathRef {
  readonly source: string;
  readonly site: string;
  readonly provider: string | null;
}

export function pathRef(path: Path): PathRef {
  return { source: path.source.name, site: path.site, provider: path.provider };
}
