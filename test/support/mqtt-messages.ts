import type { MqttClient } from 'mqtt';

/** The payload of the next message `c` receives on `topic`. */
export function nextMessage(c: MqttClient, topic: string): Promise<Buffer> {
  return new Promise((resolve) => {
    const on = (t: string, p: Buffer) => {
      if (t !== topic) return;
      c.off('message', on);
      resolve(p);
    };
    c.on('message', on);
  });
}
