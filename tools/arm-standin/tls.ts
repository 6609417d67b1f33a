/**
 * A certificate authority made fresh at every start, and the server certificates it signs.
 *
 * The providers are Go programs: they trust exactly the PEM file named by SSL_CERT_FILE, verify
 * host names against the subjectAltName only (never the CN), and want the CA marked as one
 * (basicConstraints + keyCertSign). node-forge writes the X.509 structures; Node's own crypto makes
 * the RSA keys, which is much faster than forge's pure-JavaScript key generation.
 */
import { generateKeyPairSync, randomBytes } from 'crypto';
import * as net from 'net';
import forge from 'node-forge';

export interface KeyAndCertificate {
  /** PEM, PKCS#1 RSA private key. */
  readonly key: string;
  /** PEM certificate. */
  readonly cert: string;
}

export interface CertificateAuthority {
  /** The CA's certificate: what clients must trust. */
  readonly certPem: string;
  /** A server certificate for these DNS names and IP addresses (wildcards allowed), signed by the CA. */
  issue(hosts: readonly string[]): KeyAndCertificate;
}

const HOUR = 3600 * 1000;

function newKeys(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; privatePem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
    privatePem: privateKey,
  };
}

/** A positive serial number (the top bit cleared, so DER needs no sign byte games). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  return bytes.toString('hex');
}

function validity(cert: forge.pki.Certificate, days: number): void {
  const now = Date.now();
  // An hour of slack backwards: clocks of the client and this process are the same, but be safe.
  cert.validity.notBefore = new Date(now - HOUR);
  cert.validity.notAfter = new Date(now + days * 24 * HOUR);
}

export function createCertificateAuthority(commonName = 'ARM stand-in test CA'): CertificateAuthority {
  const keys = newKeys();
  const ca = forge.pki.createCertificate();
  ca.publicKey = keys.publicKey;
  ca.serialNumber = serialNumber();
  validity(ca, 7);
  const subject = [{ name: 'commonName', value: commonName }];
  ca.setSubject(subject);
  ca.setIssuer(subject);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(keys.privateKey, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(ca);

  return {
    certPem,
    issue(hosts) {
      const leafKeys = newKeys();
      const leaf = forge.pki.createCertificate();
      leaf.publicKey = leafKeys.publicKey;
      leaf.serialNumber = serialNumber();
      validity(leaf, 7);
      leaf.setSubject([{ name: 'commonName', value: hosts[0] }]);
      leaf.setIssuer(ca.subject.attributes);
      leaf.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        // type 7 is iPAddress, type 2 dNSName (RFC 5280 GeneralName).
        { name: 'subjectAltName', altNames: hosts.map((h) => (net.isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })) },
        { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
      ]);
      leaf.sign(keys.privateKey, forge.md.sha256.create());
      return { key: leafKeys.privatePem, cert: forge.pki.certificateToPem(leaf) };
    },
  };
}
