import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** PEM files of a throwaway CA and a loopback server certificate it signed. */
export interface ThrowawayPki {
  /** CA certificate (what the agent's `caFile` names). */
  caFile: string;
  /** Server certificate for 127.0.0.1 / localhost, and its key. */
  certFile: string;
  keyFile: string;
  /** A second, unrelated CA: trusting it must not let the server's certificate through. */
  otherCaFile: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * Makes a CA, a server certificate it signs (SAN IP:127.0.0.1, DNS:localhost,
 * serverAuth) and a second CA, with the `openssl` command, in `dir`. EC P-256
 * keys, valid for two days.
 */
export function makeThrowawayPki(dir: string): ThrowawayPki {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const ca = (name: string) => openssl(dir, ['req', '-x509', ...ec, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=Argus ${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  ca('test-ca');
  ca('other-ca');
  openssl(dir, ['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n');
  openssl(dir, ['x509', '-req', '-in', 'server.csr', '-CA', 'test-ca.pem', '-CAkey', 'test-ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext']);
  return { caFile: path.join(dir, 'test-ca.pem'), certFile: path.join(dir, 'server.pem'), keyFile: path.join(dir, 'server.key'), otherCaFile: path.join(dir, 'other-ca.pem') };
}
