#!/usr/bin/env node
// `argus-agent` (npx / npm link). In a development checkout it runs the TypeScript
// sources through tsx's loader (a dev dependency); where tsx is not installed (a
// production install, `npm ci --omit=dev`) it runs the compiled dist/ — what the
// systemd unit starts directly.
let tsx;
try {
  tsx = await import('tsx/esm/api');
} catch {
  tsx = null;
}
if (tsx) {
  tsx.register();
  const { main } = await import('../src/main.ts');
  process.exitCode = await main(process.argv.slice(2));
} else {
  await import('../dist/argus-agent.mjs');
}
