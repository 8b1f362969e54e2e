import { parentPort, workerData } from 'node:worker_threads';
import { WakePipeline } from './wake-pipeline.ts';
import { WakeDecider } from './wake-decider.ts';
import { EndpointTracker } from './endpoint-tracker.ts';
import { SileroVad } from './silero-vad.ts';
import { createWakeModel } from './wake-model.ts';
import { FrameChunker } from './frame-chunker.ts';
import { backbonePaths } from './models.ts';
import type { WakeEngine } from './model-types.ts';
import type { DetectorWorkerData, FromWorker, ToWorker } from './worker-protocol.ts';

/**
 * The detector thread: all ONNX inference happens here, so the main thread (state
 * machine, gate, LEDs) never waits on it. Messages are handled strictly in order, so
 * suppress/reset take effect exactly between the pushes they were sent between.
 * Audio never leaves this thread: only event names, scores and frame indices go back.
 */
const port = parentPort!;
const data = workerData as DetectorWorkerData;
const send = (m: FromWorker) => port.postMessage(m);

interface Engine {
  labels: string[];
  engine: WakeEngine;
  push(samples: Int16Array): void;
  suppress(on: boolean): void;
  reset(): void;
  dispose(): void;
  frames(): number;
}

function wakeEngine(d: Extract<DetectorWorkerData, { kind: 'wake' }>): Engine {
  const pipeline = new WakePipeline({ heads: d.heads, modelDir: d.modelDir });
  const decider = new WakeDecider(pipeline.labels, d.thresholds, d.refractoryMs);
  let frames = 0;
  return {
    labels: pipeline.labels,
    engine: pipeline.engine,
    push: (samples) =>
      pipeline.push(samples, (r) => {
        frames++;
        const ev = decider.onFrame(r.frame, r.scores);
        if (ev) send({ t: 'detection', wakeWord: ev.wakeWord, score: ev.score, frame: ev.frame });
      }),
    suppress: (on) => (decider.suppressed = on),
    reset: () => {
      pipeline.reset();
      decider.reset();
    },
    dispose: () => pipeline.dispose(),
    frames: () => frames,
  };
}

function endpointEngine(d: Extract<DetectorWorkerData, { kind: 'endpoint' }>): Engine {
  const model = createWakeModel(backbonePaths(d.modelDir).vad);
  const vad = new SileroVad(model);
  const chunker = new FrameChunker();
  const tracker = new EndpointTracker({ endOfSpeechSilenceMs: d.endOfSpeechSilenceMs });
  let frame = 0;
  return {
    labels: [],
    engine: model.engine,
    push: (samples) =>
      chunker.push(samples, (chunk) => {
        const signal = tracker.onFrame(vad.processChunk(chunk));
        if (signal) send({ t: 'endpoint', signal, frame });
        frame++;
      }),
    suppress: () => {},
    reset: () => {
      chunker.reset();
      vad.reset();
      tracker.reset();
      frame = 0;
    },
    dispose: () => model.dispose(),
    frames: () => frame,
  };
}

function codeOf(e: unknown): string {
  return (e as { code?: string })?.code ?? 'WAKE_WORKER_FAILED';
}

let engine: Engine | undefined;
try {
  engine = data.kind === 'wake' ? wakeEngine(data) : endpointEngine(data);
  send({ t: 'ready', labels: engine.labels });
} catch (e) {
  // The handle rejects its start() with this code; closing the port lets the thread exit.
  send({ t: 'error', code: codeOf(e), message: (e as Error).message });
  port.close();
}

let busyMs = 0;
port.on('message', (m: ToWorker) => {
  if (!engine) return;
  const t0 = performance.now();
  try {
    switch (m.t) {
      case 'push':
        engine.push(m.samples);
        send({ t: 'consumed', samples: m.samples.length });
        break;
      case 'suppress':
        engine.suppress(m.on);
        break;
      case 'reset':
        engine.reset();
        break;
      case 'flush':
        send({ t: 'flushed', id: m.id });
        break;
      case 'stats':
        send({ t: 'stats', id: m.id, stats: { frames: engine.frames(), busyMs, rss: process.memoryUsage().rss, engine: engine.engine } });
        break;
      case 'close':
        engine.dispose();
        port.close();
        return;
    }
  } catch (e) {
    send({ t: 'error', code: codeOf(e), message: (e as Error).message });
  }
  busyMs += performance.now() - t0;
});
