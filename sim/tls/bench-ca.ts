/**
 * The bench's own certificate authority, made fresh for a run: an ECDSA P-256 root and one
 * leaf per receiver naming its MX hosts. Receivers offer STARTTLS with their leaf; a sender
 * that trusts the root (the reference engine, or an external MTA given `ca.pem` by
 * `mailbench serve`) verifies them like real MX certificates, and nothing outside the run
 * trusts them. Generated with @peculiar/x509 over node's WebCrypto (no OpenSSL process).
 *
 * Validity starts at `validFrom` (the caller's real clock: TLS checks real time, whatever the
 * simulated clock says).
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
const VALIDITY_MS = 7 * 24 * 60 * 60 * 1000;

export interface TlsMaterial {
  /** PEM certificate chain (leaf first). */
  readonly cert: string;
  /** PEM PKCS #8 private key. */
  readonly key: string;
}

export interface BenchCa {
  /** The root certificate, PEM, for senders to trust. */
  readonly certificate: string;
  /** A leaf for these host names, signed by the root. */
  issue(hostNames: readonly string[]): Promise<TlsMaterial>;
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(12))).toString('hex');
}

async function pkcs8Pem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

export async function createBenchCa(validFrom: Date): Promise<BenchCa> {
  const notBefore = new Date(validFrom.getTime() - 60 * 60 * 1000);
  const notAfter = new Date(validFrom.getTime() + VALIDITY_MS);
  const rootKeys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=mailbench bench CA, O=mailbench',
    notBefore,
    notAfter,
    keys: rootKeys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const rootPem = root.toString('pem');
  return {
    certificate: rootPem,
    async issue(hostNames) {
      const keys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
      const leaf = await x509.X509CertificateGenerator.create({
        serialNumber: serial(),
        subject: `CN=${hostNames[0] ?? 'localhost'}`,
        issuer: root.subject,
        notBefore,
        notAfter,
        publicKey: keys.publicKey,
        signingKey: rootKeys.privateKey,
        signingAlgorithm: SIGNING_ALGORITHM,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
          new x509.SubjectAlternativeNameExtension(hostNames.map((value) => ({ type: 'dns' as const, value }))),
        ],
      });
      return { cert: `${leaf.toString('pem')}\n${rootPem}\n`, key: await pkcs8Pem(keys.privateKey) };
    },
  };
}
