/**
 * The spool's segment files by name: `segment-NNNNNNNN.log`, numbered by a counter file so a
 * number never repeats (message ids are built from it), and made durable by an fsync of the
 * folder when a new one appears.
 */
import { closeSync, fsyncSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SEGMENT = /^segment-(\d{8})\.log$/;

export const segmentName = (number: number): string => `segment-${String(number).padStart(8, '0')}.log`;

/** The segment files in `dir`, oldest first, with their numbers. */
export function segmentsIn(dir: string): { readonly name: string; readonly number: number }[] {
  return readdirSync(dir)
    .filter((name) => SEGMENT.test(name))
    .sort()
    .map((name) => ({ name, number: Number(SEGMENT.exec(name)?.[1]) }));
}

/** The next segment number, never one used before even when every segment is gone: a counter file keeps the last. */
export function nextSegmentNumber(dir: string): number {
  const counterPath = join(dir, 'last-segment');
  let last = 0;
  try {
    last = Number(readFileSync(counterPath, 'utf8')) || 0;
  } catch {
    // A new spool.
  }
  for (const { number } of segmentsIn(dir)) last = Math.max(last, number);
  const next = last + 1;
  writeFileSync(counterPath, String(next));
  const fd = openSync(counterPath, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  return next;
}

/** A new file's name is durable only once its folder is fsynced. */
export function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
