/**
 * A local OpenAI-compatible chat endpoint for tests (the one allowed
 * double): POST /v1/chat/completions answers from a script — streamed
 * content, streamed tool calls, HTTP errors (429, 500), a hang (timeout),
 * malformed output. Loopback only, port 0.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted reply. */
export type StubReply =
  | { kind: 'answer'; content: string; tokens?: number }
  | { kind: 'tool'; name: string; args: string; tokens?: number }
  | { kind: 'status'; status: number }
  | { kind: 'hang' };

/** A running stub. */
export interface LlmStub {
  baseUrl: string;
  /** Request bodies received, in order. */
  requests: { model: string; messages: { role: string; content?: string | null }[]; stream?: boolean; tools?: unknown[] }[];
  /** Replies still to send; `fallback` answers when the script is empty. */
  script: StubReply[];
  close(): Promise<void>;
}

/** Starts the stub; `byModel` overrides the script for a model name. */
export async function startLlmStub(script: StubReply[], byModel: Record<string, StubReply> = {}): Promise<LlmStub> {
  const requests: LlmStub['requests'] = [];
  const hanging: http.ServerResponse[] = [];
  const stub = { script } as LlmStub;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404).end();
        return;
      }
      const r = JSON.parse(body) as LlmStub['requests'][number];
      requests.push(r);
      const reply = byModel[r.model] ?? stub.script.shift() ?? { kind: 'status', status: 500 };
      if (reply.kind === 'hang') {
        hanging.push(res);
        return;
      }
      if (reply.kind === 'status') {
        res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `stub ${reply.status}`, type: 'stub' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const send = (o: unknown) => res.write(`data: ${JSON.stringify(o)}\n\n`);
      const base = { id: 'c1', object: 'chat.completion.chunk', created: 0, model: r.model };
      if (reply.kind === 'answer') {
        for (let i = 0; i < reply.content.length; i += 16) send({ ...base, choices: [{ index: 0, delta: { content: reply.content.slice(i, i + 16) }, finish_reason: null }] });
        send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
      } else {
        send({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: reply.name, arguments: '' } }] }, finish_reason: null }] });
        for (let i = 0; i < reply.args.length; i += 8) send({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: reply.args.slice(i, i + 8) } }] }, finish_reason: null }] });
        send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] });
      }
      send({ ...base, choices: [], usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: reply.tokens ?? 100 } });
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(stub, {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    async close() {
      for (const h of hanging) h.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  });
}
