import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { vehicleToken, type BatchStatusEvent, type DiagnosisReport } from '@argus/shared';
import { createPinoLogger, loadHubConfig, startHub, type Hub } from '@argus/cloud-hub';
import { parseAgentConfig, processDrive } from '@argus/edge-agent';
import { FAULT_CODES, FAULT_PLATFORMS, normaliseFaultCode, randomVin, Rng, writeDrive, type Platform } from '@argus/sim';
import { formatReport } from './format-report.js';
import { portOrAny } from './port.js';

const DIAGNOSIS_TIMEOUT_MS = 120_000;

/**
 * `argus demo`: one drive carried end to end on the embedded default. Starts a
 * hub (PGlite, filesystem store, aedes), simulates a drive with a fault, runs the
 * edge agent on it over real MQTT and prints the diagnosis the vehicle received.
 * Human progress goes to stderr; with --json the last stdout line is the report.
 */
export async function runDemo(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      fault: { type: 'string' }, platform: { type: 'string' }, seed: { type: 'string' },
      once: { type: 'boolean', default: false }, json: { type: 'boolean', default: false },
      duration: { type: 'string' }, help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write('usage: argus demo [--fault CODE] [--platform J7|K1|T2] [--seed N] [--duration S] [--once] [--json]\n');
    return 0;
  }
  const say = (s: string) => process.stderr.write(`${s}\n`);
  const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;
  let code: string;
  try {
    code = values.fault ? normaliseFaultCode(values.fault) : pick(FAULT_CODES);
  } catch (err) {
    say(`argus demo: ${(err as Error).message}`);
    return 2;
  }
  if (!FAULT_CODES.includes(code)) {
    say(`argus demo: unknown fault ${values.fault}; known: ${FAULT_CODES.join(', ')}`);
    return 2;
  }
  const platforms = FAULT_PLATFORMS[code] ?? [];
  const platform = (values.platform ?? pick(platforms)) as Platform;
  if (!platforms.includes(platform)) {
    say(`argus demo: fault ${code} does not occur on platform ${values.platform}; it does on ${platforms.join(', ')}`);
    return 2;
  }
  say(`argus demo: fault ${code}${values.fault ? '' : ' (picked at random)'} on platform ${platform}, seed ${seed}`);

  const root = path.resolve(env['ARGUS_DEMO_DIR'] ?? '.argus/demo');
  await mkdir(root, { recursive: true });
  const logFile = path.join(root, 'demo.log');
  const logStream = createWriteStream(logFile, { flags: 'a' });
  const log = createPinoLogger('info', {}, (l) => logStream.write(l));
  const cfg = loadHubConfig(env, {
    dataDir: path.join(root, 'hub'),
    // --once needs no fixed ports; otherwise keep the documented ones when free.
    httpPort: values.once ? 0 : await portOrAny('127.0.0.1', Number(env['HUB_HTTP_PORT'] ?? 8080)),
    mqttPort: values.once ? 0 : await portOrAny('127.0.0.1', Number(env['HUB_MQTT_PORT'] ?? 1883)),
  });
  say(`[1/4] starting the hub (embedded: PGlite + pgvector, filesystem object store, aedes) — logs in ${logFile}`);
  let hub: Hub;
  try {
    hub = await startHub(cfg, log.child({ svc: 'hub' }));
  } catch (err) {
    say(`argus demo: the hub did not start: ${(err as Error).message}`);
    return 1;
  }
  say(`      hub up: ${hub.httpUrl} (HTTP), ${hub.mqttUrl} (MQTT)`);
  say(hub.web.admin
    ? `      dashboard: ${hub.httpUrl}/app/  user ${hub.web.admin.username}, password ${hub.web.admin.password}${hub.web.admin.generated ? ' (generated; set ARGUS_ADMIN_PASSWORD to choose it)' : ''}`
    : `      dashboard: ${hub.httpUrl}/app/  user admin (password from an earlier run; set ARGUS_ADMIN_PASSWORD to reset it)`);

  let report: DiagnosisReport | null = null;
  try {
    const file = path.join(root, 'recordings', `drive-${code}-${platform}-${seed}.mcap`);
    say(`[2/4] simulating a ${values.duration ?? 180} s drive → ${path.relative(process.cwd(), file)}`);
    await mkdir(path.dirname(file), { recursive: true });
    const vin = randomVin(Rng.derive(seed, 'demo-vin'), platform);
    const drive = await writeDrive({ out: file, seed, platform, vin, faults: [{ code }], durationS: Number(values.duration ?? 180) });
    say(`      ${(drive.bytes / 1e6).toFixed(1)} MB, ${drive.messages} messages, vehicle ${vin}`);

    const agentCfg = parseAgentConfig({ token: vehicleToken(cfg.vehicleSecret, vin), mqttUrl: hub.mqttUrl, httpUrl: hub.httpUrl, stateDir: path.join(root, 'agent') });
    say(`[3/4] edge agent: native parse → per-topic CSV → ${agentCfg.compression} chunks → MQTT (QoS 1) to the hub`);
    let last = '';
    const outcome = await processDrive(file, agentCfg, log.child({ svc: 'agent' }), {
      waitForDiagnosisMs: DIAGNOSIS_TIMEOUT_MS,
      onStatus: (s) => {
        const e = s as BatchStatusEvent;
        if (e.state !== last) say(`      hub: batch ${e.batch_id.slice(0, 8)} ${e.state} (${e.chunks_stored}/${e.chunks_expected ?? '?'} chunks)`);
        last = e.state;
      },
    });
    if (outcome.kind === 'quarantined') {
      say(`argus demo: the agent quarantined the recording: ${outcome.reason}`);
      return 1;
    }
    report = outcome.report;
    say('[4/4] diagnosis received by the vehicle:');
    if (report) process.stderr.write(formatReport(report));
  } catch (err) {
    say(`argus demo: ${(err as Error).message}`);
  }
  if (values.json && report) process.stdout.write(`${JSON.stringify(report)}\n`);
  if (values.once || !report) {
    await hub.close();
    logStream.end();
    return report ? 0 : 1;
  }
  say(`\nThe hub keeps running: ${hub.httpUrl}/api/v1/batches/${report.batch_id}/diagnosis  (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await hub.close();
  logStream.end();
  return 0;
}
