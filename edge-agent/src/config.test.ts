import { describe, expect, it } from 'vitest';
import { AgentConfigError, loadAgentConfig } from './config.js';

describe('loadAgentConfig', () => {
  it('merges the file with ARGUS_AGENT_* overrides (env wins) and applies defaults', () => {
    const c = loadAgentConfig({ token: 'file', chunkBytes: 65536, topics: ['/a'] }, { ARGUS_AGENT_TOKEN: 'env', ARGUS_AGENT_TOPICS: '/x, /y', ARGUS_AGENT_BANDWIDTH: '50000', PATH: '/bin' });
    expect(c).toMatchObject({ token: 'env', chunkBytes: 65536, topics: ['/x', '/y'], bandwidthBytesPerS: 50000, detect: 'either', nice: 10 });
  });
  it('lists every bad key at once: unknown file keys, bad values, unknown env variables', () => {
    let err: unknown;
    try {
      loadAgentConfig({ token: '', mqttUrl: 'http://x', chunkBytes: 1, colour: 'red' }, { ARGUS_AGENT_NICENESS: '5', ARGUS_AGENT_DETECT: 'sometimes' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AgentConfigError);
    const text = (err as Error).message;
    for (const k of ['token', 'mqttUrl', 'chunkBytes', 'colour', 'ARGUS_AGENT_NICENESS', 'detect']) expect(text).toContain(k);
    expect((err as AgentConfigError).code).toBe('BAD_CONFIG');
  });
  it('takes per-topic decimation and rate caps from the file or as JSON in the environment, and refuses bad ones', () => {
    const c = loadAgentConfig({ token: 't', decimate: { '/imu': 10 } }, { ARGUS_AGENT_MAX_RATE_HZ: '{"/sensors/camera_*": 2}' });
    expect(c.decimate).toEqual({ '/imu': 10 });
    expect(c.maxRateHz).toEqual({ '/sensors/camera_*': 2 });
    expect(() => loadAgentConfig({ token: 't', maxRateHz: { '/x': 0 } }, {})).toThrow(/maxRateHz/);
    expect(() => loadAgentConfig({ token: 't' }, { ARGUS_AGENT_MAX_RATE_HZ: '2' })).toThrow(/maxRateHz/);
    expect(() => loadAgentConfig({ token: 't' }, { ARGUS_AGENT_MAX_RATE_HZ: '{oops' })).toThrow(/ARGUS_AGENT_MAX_RATE_HZ: not JSON/);
  });
});
