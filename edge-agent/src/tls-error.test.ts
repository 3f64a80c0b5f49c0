import { describe, expect, it } from 'vitest';
import { describeTlsError } from './tls-error.js';

const err = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('describeTlsError', () => {
  it('names the caFile when the hub certificate is not signed by it', () => {
    const r = describeTlsError(err('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'), '/etc/argus/hub-ca.pem');
    expect(r?.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(r?.message).toContain('not signed by the CA in caFile /etc/argus/hub-ca.pem');
    expect(r?.message).toContain('unable to verify the first certificate');
  });

  it('says the system CAs were used when there is no caFile', () => {
    expect(describeTlsError(err('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'), undefined)?.message).toContain('a system CA (no caFile is set)');
  });

  it('explains a host name mismatch and an expired certificate differently', () => {
    expect(describeTlsError(err('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"), '/ca.pem')?.message).toContain('does not name the host');
    expect(describeTlsError(err('CERT_HAS_EXPIRED', 'certificate has expired'), '/ca.pem')?.message).toContain('vehicle clock');
  });

  it('returns null for errors that are not certificate refusals', () => {
    expect(describeTlsError(err('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:8883'), '/ca.pem')).toBeNull();
    expect(describeTlsError(new Error('no code'), '/ca.pem')).toBeNull();
    expect(describeTlsError(null, undefined)).toBeNull();
  });
});
