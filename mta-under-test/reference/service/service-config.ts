/**
 * The engine service's configuration file (JSON): where it keeps its spool and accounting log,
 * where it listens, who it is (sources, pools, tenants, DKIM keys), how it shapes, and the
 * world's DNS. Read with every problem named by path, as every input of mailbench is.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, dirname, resolve } from 'node:path';
import { createPrivateKey } from 'node:crypto';
import { isLoopbackIpv4, MailbenchError, readDuration } from '../../../kernel/index.ts';
import type { DkimKey } from '../core/dkim-signer.ts';
import type { EgressConfig } from '../core/egress.ts';
import { validateEgress } from '../core/egress.ts';
import type { ShapingConfig } from '../core/shaping/config.ts';
import { readShapingConfig } from '../core/shaping/read-config.ts';
import type { StaticDns } from './static-resolver.ts';
import { validateStaticDns } from './static-resolver.ts';
import type { AdmissionLimits } from './admission.ts';

export interface ServiceConfigInput {
  /** Folder of the durable spool (relative paths are from the config file). */
  readonly spoolDir: string;
  /** Folder of the accounting log (JSON Lines, rotated). */
  readonly accountingDir: string;
  /** The loopback address every listener binds. @defaultValue '127.0.0.3' */
  readonly listenAddress?: string;
  /** Ports; 0 (the default) picks a free one, printed when the service is ready. */
  readonly ports?: {
    readonly http?: number;
    readonly admin?: number;
    readonly submission?: number;
    readonly inbound?: number;
  };
  readonly bearerToken?: string;
  /** SMTP submission accounts: user → password. Without any, no submission listener starts. */
  readonly submissionUsers?: Readonly<Record<string, string>>;
  readonly sources: EgressConfig['sources'];
  readonly pools: Readonly<Record<string, readonly string[]>>;
  readonly defaultPool: string;
  readonly tenants?: EgressConfig['tenants'];
  /** The shaping file's content (default → provider → domain → source). @defaultValue {} */
  readonly shaping?: unknown;
  readonly dns: StaticDns;
  /** DKIM keys: domain, selector, and a PEM private key file. */
  readonly dkim?: readonly { readonly domain: string; readonly selector: string; readonly keyFile: string }[];
  /** CA certificates (PEM file) trusted when a path requires TLS. */
  readonly caFile?: string;
  /** A message not final after this long expires ('5d'). @defaultValue '5d' */
  readonly expiry?: string;
  /** Simulated ms per real ms for retry spacing and windows. @defaultValue 1 (real time) */
  readonly clockScale?: number;
  /**
   * VERP return paths (`<prefix>+<id>=<local>=<domain>@<domain>`); the inbound listener takes
   * the reports sent to them. @defaultValue none: MAIL FROM is the injected envelope sender
   */
  readonly verp?: { readonly prefix: string; readonly domain: string };
  /** The engine's host name: the inbound listener's and the DSNs' Reporting-MTA. @defaultValue 'mta.mailbench.test' */
  readonly hostname?: string;
  /** Send RFC 3464 DSNs to envelope senders (failures, expiry, one delay warning after 4 h). @defaultValue true */
  readonly dsn?: boolean;
  /** Pushback: past any of these, new mail is refused (HTTP 503, SMTP 452) until deliveries free room. @defaultValue admission.ts */
  readonly admission?: Partial<AdmissionLimits>;
}

export interface ServiceConfig {
  readonly spoolDir: string;
  readonly accountingDir: string;
  readonly listenAddress: string;
  readonly ports: {
    readonly http: number;
    readonly admin: number;
    readonly submission: number;
    readonly inbound: number;
  };
  readonly bearerToken?: string;
  readonly submissionUsers: Readonly<Record<string, string>>;
  readonly egress: EgressConfig;
  readonly shaping: ShapingConfig;
  readonly dns: StaticDns;
  readonly dkimKeys: readonly DkimKey[];
  readonly ca?: string;
  readonly expiryMs?: number;
  readonly clockScale: number;
  readonly verp?: { readonly prefix: string; readonly domain: string };
  readonly hostname: string;
  readonly dsn: boolean;
  readonly admission: Partial<AdmissionLimits>;
}

export interface ServiceConfigIssue {
  readonly path: string;
  readonly message: string;
}

export class ServiceConfigError extends MailbenchError {
  constructor(
    where: string,
    readonly issues: readonly ServiceConfigIssue[],
  ) {
    super(
      'E_ENGINE_CONFIG_INVALID',
      `${where} has ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n${issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join('\n')}`,
    );
    this.name = 'ServiceConfigError';
  }
}

/** Reads and checks the file; throws a ServiceConfigError listing every problem. */
export function loadServiceConfig(path: string): ServiceConfig {
  let input: ServiceConfigInput;
  try {
    input = JSON.parse(readFileSync(path, 'utf8')) as ServiceConfigInput;
  } catch (error) {
    throw new ServiceConfigError(path, [
      { path: '(file)', message: error instanceof Error ? error.message : String(error) },
    ]);
  }
  return resolveServiceConfig(input, dirname(path), path);
}

/** The CA file's text, or an issue saying why it cannot be read. */
function readCaFile(path: string, issues: ServiceConfigIssue[]): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    issues.push({
      path: 'caFile',
      message: `cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    });
    return undefined;
  }
}

/** VERP return paths need a prefix and a domain that can stand in an address. */
function checkVerp(verp: ServiceConfigInput['verp'], issues: ServiceConfigIssue[]): void {
  if (verp === undefined) return;
  if (/^[A-Za-z0-9.-]+$/.test(verp.prefix ?? '') && /^[a-z0-9.-]+\.[a-z]+$/i.test(verp.domain ?? '')) return;
  issues.push({
    path: 'verp',
    message: `needs a prefix of letters, digits, '.' or '-' and a domain (got ${JSON.stringify(verp)})`,
  });
}

export function resolveServiceConfig(
  input: ServiceConfigInput,
  baseDir: string,
  where = 'the engine configuration',
): ServiceConfig {
  const issues: ServiceConfigIssue[] = [];
  const at = (file: string): string => (isAbsolute(file) ? file : resolve(baseDir, file));
  for (const key of ['spoolDir', 'accountingDir'] as const) {
    if (typeof input[key] !== 'string' || input[key] === '') issues.push({ path: key, message: 'must name a folder' });
  }
  const listenAddress = input.listenAddress ?? '127.0.0.3';
  if (!isLoopbackIpv4(listenAddress))
    issues.push({
      path: 'listenAddress',
      message: `must be a 127.0.0.0/8 address: the engine listens on loopback only (got ${listenAddress})`,
    });
  const egress: EgressConfig = {
    sources: input.sources ?? [],
    pools: Object.entries(input.pools ?? {}).map(([name, members]) => ({
      name,
      members: members.map((source) => ({ source })),
    })),
    defaultPool: input.defaultPool,
    ...(input.tenants === undefined ? {} : { tenants: input.tenants }),
  };
  issues.push(...validateEgress(egress));
  const shaping = readShapingConfig(input.shaping ?? {});
  issues.push(
    ...shaping.issues.map((issue) => ({
      path: issue.path === '' ? 'shaping' : `shaping.${issue.path}`,
      message: issue.message,
    })),
  );
  const dns: StaticDns = { mx: input.dns?.mx ?? {}, hosts: input.dns?.hosts ?? {} };
  issues.push(...validateStaticDns(dns));
  const dkimKeys = readDkimKeys(input.dkim ?? [], at, issues);
  const ca = input.caFile === undefined ? undefined : readCaFile(at(input.caFile), issues);
  const expiry = input.expiry === undefined ? undefined : readDuration(input.expiry);
  if (expiry !== undefined && !expiry.ok) issues.push({ path: 'expiry', message: expiry.message });
  const clockScale = input.clockScale ?? 1;
  if (!(typeof clockScale === 'number' && clockScale > 0))
    issues.push({ path: 'clockScale', message: `must be a number > 0 (got ${JSON.stringify(clockScale)})` });
  checkVerp(input.verp, issues);
  const admission = readAdmission(input.admission, issues);
  if (issues.length > 0) throw new ServiceConfigError(where, issues);
  return {
    spoolDir: at(input.spoolDir),
    accountingDir: at(input.accountingDir),
    listenAddress,
    ports: {
      http: input.ports?.http ?? 0,
      admin: input.ports?.admin ?? 0,
      submission: input.ports?.submission ?? 0,
      inbound: input.ports?.inbound ?? 0,
    },
    ...(input.bearerToken === undefined ? {} : { bearerToken: input.bearerToken }),
    submissionUsers: input.submissionUsers ?? {},
    egress,
    shaping: shaping.config,
    dns,
    dkimKeys,
    ...(ca === undefined ? {} : { ca }),
    ...(expiry?.ok === true ? { expiryMs: expiry.value } : {}),
    clockScale,
    ...(input.verp === undefined ? {} : { verp: input.verp }),
    hostname: input.hostname ?? 'mta.mailbench.test',
    dsn: input.dsn ?? true,
    admission,
  };
}

/**
 * The configuration of `mailbench engine start --spool DIR` with no file: one source on
 * 127.0.0.1 in one pool, no DNS (every domain is unknown until a file names its MX), the
 * accounting log beside the spool. Enough to start, inject and inspect; a real run gives a file.
 */
export function defaultServiceConfigInput(spoolDir: string): ServiceConfigInput {
  return {
    spoolDir,
    accountingDir: `${spoolDir.replace(/\/+$/, '')}-accounting`,
    sources: [{ name: 'default', sourceIp: '127.0.0.1', heloName: 'mta.mailbench.test' }],
    pools: { default: ['default'] },
    defaultPool: 'default',
    dns: { mx: {}, hosts: {} },
  };
}

function readAdmission(input: unknown, issues: ServiceConfigIssue[]): Partial<AdmissionLimits> {
  if (input === undefined) return {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    issues.push({
      path: 'admission',
      message: 'must be an object { spoolBytesMax?, messagesMax?, requestsInFlightMax? }',
    });
    return {};
  }
  const known = ['spoolBytesMax', 'messagesMax', 'requestsInFlightMax'] as const;
  const limits: Partial<Record<(typeof known)[number], number>> = {};
  for (const [key, value] of Object.entries(input)) {
    if (!(known as readonly string[]).includes(key))
      issues.push({ path: `admission.${key}`, message: `is not a known key (known: ${known.join(', ')})` });
    else if (!(typeof value === 'number' && Number.isInteger(value) && value > 0))
      issues.push({ path: `admission.${key}`, message: `must be a whole number > 0 (got ${JSON.stringify(value)})` });
    else limits[key as (typeof known)[number]] = value;
  }
  return limits;
}

function readDkimKeys(
  entries: NonNullable<ServiceConfigInput['dkim']>,
  at: (file: string) => string,
  issues: ServiceConfigIssue[],
): DkimKey[] {
  return entries.flatMap((entry, index) => {
    try {
      return [
        {
          domain: entry.domain.toLowerCase(),
          selector: entry.selector,
          privateKey: createPrivateKey(readFileSync(at(entry.keyFile), 'utf8')),
        },
      ];
    } catch (error) {
      issues.push({
        path: `dkim[${index}].keyFile`,
        message: `is not a readable PEM private key: ${error instanceof Error ? error.message : String(error)}`,
      });
      return [];
    }
  });
}
