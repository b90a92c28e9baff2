/**
 * Where a command writes, checked before it works: a run that cannot write its report must say
 * so within a second, not after the whole scenario ran (exit 3), and a `serve` must not open its
 * listeners and then hang. The folder is created and a probe file is written and removed, so a
 * read-only mount, a path under a file (/dev/null/x), a pseudo file system (/proc/x) or an
 * existing file in the way are all named with the reason.
 */
import { existsSync, mkdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MailbenchError } from '../kernel/index.ts';

/** Why an output path cannot be used, for a one-line error (exit 2). */
export class OutputPathError extends MailbenchError {
  constructor(message: string) {
    super('E_OUTPUT_PATH', message);
    this.name = 'OutputPathError';
  }
}

function reason(error: unknown): string {
  const errno = error as NodeJS.ErrnoException;
  return errno.code === undefined
    ? String(errno.message)
    : `${errno.code}: ${errno.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '')}`;
}

/**
 * mkdir -p, one level at a time. Node's own recursive mkdir loops forever where a folder's
 * parent exists but the kernel answers ENOENT anyway (/proc/x): it keeps re-creating the parent.
 */
function makeFolders(folder: string): void {
  const missing: string[] = [];
  for (let path = resolve(folder); !existsSync(path); path = dirname(path)) {
    missing.unshift(path);
    if (dirname(path) === path) break;
  }
  for (const path of missing) mkdirSync(path);
}

/** Creates `folder` if needed and proves a file can be written in it; throws OutputPathError naming the path and the reason. */
export function prepareOutputFolder(folder: string, option = '--out', given = folder): void {
  const what = given === folder ? 'the folder' : `its folder ${folder}`;
  try {
    makeFolders(folder);
  } catch (error) {
    throw new OutputPathError(`${option} ${given}: cannot create ${what} (${reason(error)})`);
  }
  if (!statSync(folder).isDirectory())
    throw new OutputPathError(
      `${option} ${given}: ${given === folder ? 'is a file, not a folder' : `${folder} is a file, not a folder`}`,
    );
  const probe = join(folder, `.mailbench-write-probe-${process.pid}`);
  try {
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (error) {
    throw new OutputPathError(`${option} ${given}: cannot write in ${what} (${reason(error)})`);
  }
}

/** The same for an output file: its folder must take a file, and the path must not be a folder. */
export function prepareOutputFile(file: string, option = '--out'): void {
  let isFolder = false;
  try {
    isFolder = statSync(file).isDirectory();
  } catch {
    // Not there yet: the usual case.
  }
  if (isFolder) throw new OutputPathError(`${option} ${file}: is a folder; name a file`);
  prepareOutputFolder(dirname(file), option, file);
}
