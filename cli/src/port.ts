import net from 'node:net';

/** `preferred` when it can be bound on `host`, otherwise 0 (the OS picks a free port). */
export async function portOrAny(host: string, preferred: number): Promise<number> {
  if (preferred === 0) return 0;
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(0));
    s.listen(preferred, host, () => s.close(() => resolve(preferred)));
  });
}
