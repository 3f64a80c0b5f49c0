/** Which link carries the next message. */
export type Transport = 'mqtt' | 'http' | 'wait';

/**
 * The MQTT → HTTP switch rule (pure). MQTT is preferred whenever it is
 * connected. When it has been down for at least `fallbackAfterMs` (counted from
 * the moment it went down, or the agent started), HTTP carries the upload;
 * before that the agent waits for MQTT to come back. `fallbackAfterMs` = 0
 * disables HTTP. The agent re-checks before every chunk, so it returns to MQTT
 * as soon as MQTT reconnects.
 */
export function pickTransport(s: { mqttConnected: boolean; downSinceMs: number | null; nowMs: number; fallbackAfterMs: number }): Transport {
  if (s.mqttConnected) return 'mqtt';
  if (s.fallbackAfterMs <= 0) return 'wait';
  const downFor = s.downSinceMs === null ? 0 : s.nowMs - s.downSinceMs;
  return downFor >= s.fallbackAfterMs ? 'http' : 'wait';
}
