/**
 * The machine a figure was measured on. Absolute throughputs and even same-run ratios move with
 * the CPU, the core count, Node and Postfix, so a stored baseline carries this stamp and the gate
 * refuses a baseline stamped on another machine instead of comparing across them.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';

export interface MachineStamp {
  readonly cpuModel: string;
  readonly cpus: number;
  readonly node: string;
  readonly postfix: string;
}

export function postfixVersion(): string {
  try {
    return execFileSync('/usr/sbin/postconf', ['-d', '-h', 'mail_version'], {
      encoding: 'utf8',
      timeout: 10_000,
    }).trim();
  } catch {
    return 'not installed';
  }
}

export function machineStamp(): MachineStamp {
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cpus: availableParallelism(),
    node: process.version,
    postfix: postfixVersion(),
  };
}

/** Each field that differs, as `name: stored → here`; empty when the machines match. */
export function machineDifferences(stored: MachineStamp, here: MachineStamp): string[] {
  return (Object.keys(here) as (keyof MachineStamp)[])
    .filter((key) => stored[key] !== here[key])
    .map((key) => `${key}: ${JSON.stringify(stored[key])} → ${JSON.stringify(here[key])}`);
}
