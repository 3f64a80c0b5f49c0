/**
 * OpenSSL / Node verification codes that mean "the hub's certificate was not
 * accepted" (as opposed to a network failure). A wrong or missing `caFile`
 * shows up as one of the first three.
 */
const CERT_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT', 'CERT_SIGNATURE_FAILURE', 'CERT_UNTRUSTED', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH',
]);

/** A TLS certificate failure explained for the log. */
export interface TlsRefusal {
  /** The verification code, e.g. `UNABLE_TO_GET_ISSUER_CERT_LOCALLY`. */
  code: string;
  /** One sentence naming the cause and what the agent trusted (`caFile` or the system CAs). */
  message: string;
}

/**
 * Explains an error from an mqtts/https connection when it is a certificate
 * refusal — the one connection failure that retrying will not cure — and
 * returns null for anything else (refused port, timeout, reset).
 *
 * @example describeTlsError(err, '/etc/argus/hub-ca.pem')
 *   // { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: "the hub's TLS certificate was refused (…): it is not signed by the CA in caFile /etc/argus/hub-ca.pem …" }
 */
export function describeTlsError(err: unknown, caFile: string | undefined): TlsRefusal | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !CERT_CODES.has(code)) return null;
  const why = (err as Error).message;
  const trusted = caFile ? `the CA in caFile ${caFile}` : 'a system CA (no caFile is set)';
  const hint = code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH'
    ? 'the certificate does not name the host in the hub URL'
    : code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID' ? 'check the certificate dates and the vehicle clock' : `it is not signed by ${trusted}`;
  return { code, message: `the hub's TLS certificate was refused (${code}: ${why}): ${hint}` };
}
