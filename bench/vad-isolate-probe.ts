// One-off measurement for issue #19 ("merge the VAD into the wake worker if it saves an
// isolate"): what the second detector thread (Silero VAD, end of speech) costs in memory
// and start-up. Not part of `npm run bench`. Run: node --import tsx bench/vad-isolate-probe.ts [rounds]
// Each variant runs in a fresh process, alternating, medians printed as JSON:
// - device: the wake worker and the endpoint (VAD) worker, as the device starts them;
// - wake-only: the wake worker alone (the VAD's cost = device − wake-only);
// - bare-two / bare-one: plain-JS worker threads (no tsx) opening the same four ONNX models,
//   split over two threads as today vs in one thread: the isolate's own cost, the floor a merge could save.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { backbonePaths, resolveWakeModel } from '../src/wake/models.ts';
import { SESSION_OPTIONS } from '../src/wake/onnx-model.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const rounds = Number(process.argv[2] ?? 3);
const ort = createRequire(import.meta.url).resolve('onnxruntime-node');
const p = backbonePaths();
const wakeModels = [p.mel, p.embedding, resolveWakeModel('alexa').path];

function bareWorker(models: string[]): string {
  return `
    const req = process.getBuiltinModule('node:module').createRequire(${JSON.stringify(pathToFileURL(ROOT + '/').href)});
    const ort = req(${JSON.stringify(ort)});
    const { parentPort } = req('node:worker_threads');
    (async () => {
      for (const m of ${JSON.stringify(models)}) await ort.InferenceSession.create(m, ${JSON.stringify(SESSION_OPTIONS)});
      parentPort.postMessage('ready');
    })();`;
}

const variants: Record<string, string> = {
  device: `
    const { createWakeDetector, createEndpointDetector } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'src/wake/create-wake-detector.ts')).href)});
    const t0 = performance.now(); const before = process.memoryUsage().rss;
    const [w, e] = await Promise.all([createWakeDetector({ wakeWords: ['alexa'], sensitivity: 'default', refractoryMs: 2000 }), createEndpointDetector({ endOfSpeechSilenceMs: 700 })]);
    out(t0, before); await Promise.all([w.close(), e.close()]);`,
  'wake-only': `
    const { createWakeDetector } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'src/wake/create-wake-detector.ts')).href)});
    const t0 = performance.now(); const before = process.memoryUsage().rss;
    const w = await createWakeDetector({ wakeWords: ['alexa'], sensitivity: 'default', refractoryMs: 2000 });
    out(t0, before); await w.close();`,
  'bare-two': `
    const { Worker } = await import('node:worker_threads');
    const t0 = performance.now(); const before = process.memoryUsage().rss;
    const ws = [${JSON.stringify(bareWorker(wakeModels))}, ${JSON.stringify(bareWorker([p.vad]))}].map((c) => new Worker(c, { eval: true }));
    await Promise.all(ws.map((w) => new Promise((r) => w.once('message', r))));
    out(t0, before); await Promise.all(ws.map((w) => w.terminate()));`,
  'bare-one': `
    const { Worker } = await import('node:worker_threads');
    const t0 = performance.now(); const before = process.memoryUsage().rss;
    const w = new Worker(${JSON.stringify(bareWorker([...wakeModels, p.vad]))}, { eval: true });
    await new Promise((r) => w.once('message', r));
    out(t0, before); await w.terminate();`,
};

const samples: Record<string, { ms: number[]; mb: number[] }> = {};
for (let r = 0; r < rounds; r++) {
  for (const [name, body] of r % 2 ? Object.entries(variants).reverse() : Object.entries(variants)) {
    const code = `import { register } from 'tsx/esm/api'; register();
      const out = (t0, before) => console.log(JSON.stringify({ ms: performance.now() - t0, mb: (process.memoryUsage().rss - before) / 2 ** 20 }));
      ${body}`;
    const res = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' });
    const line = res.stdout.trim().split('\n').find((l) => l.startsWith('{"ms"'));
    if (!line) throw new Error(`${name}: ${res.stderr.slice(0, 400)}`);
    const { ms, mb } = JSON.parse(line) as { ms: number; mb: number };
    (samples[name] ??= { ms: [], mb: [] }).ms.push(ms);
    samples[name]!.mb.push(mb);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, { startMs: Math.round(median(v.ms)), rssMb: +median(v.mb).toFixed(1) }]));
console.log(JSON.stringify({ rounds, ...m, vadThreadCost: { startMs: m.device!.startMs - m['wake-only']!.startMs, rssMb: +(m.device!.rssMb - m['wake-only']!.rssMb).toFixed(1) }, bareIsolateSaving: { startMs: m['bare-two']!.startMs - m['bare-one']!.startMs, rssMb: +(m['bare-two']!.rssMb - m['bare-one']!.rssMb).toFixed(1) } }));
