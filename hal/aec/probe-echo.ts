import { execFile } from 'node:child_process';
import { loadEchoCanceller } from './load-echo-canceller.ts';
import type { EchoSetup } from './create-echo-stage.ts';

export interface EchoProbe {
  canceller: 'speex' | 'none';
  status: 'works' | 'missing' | 'off';
  detail: string;
  fix?: string;
  /** A PipeWire / PulseAudio echo-cancel source exists (the alternative on a Pi). */
  systemEchoCancelSource: string | null;
}

/**
 * `tally doctor`: can this machine cancel the device's own echo? Missing is not fatal —
 * the device then keeps the self-wake guard (deaf while it plays, no barge-in).
 */
export async function probeEcho(setup: EchoSetup | undefined, opts: { listSources?: () => Promise<string> } = {}): Promise<EchoProbe> {
  const systemEchoCancelSource = await findEchoCancelSource(opts.listSources ?? pactlSources);
  if (!setup || setup.canceller === 'none') {
    return { canceller: 'none', status: 'off', detail: 'the board turns echo cancellation off: the wake word is deaf while the device plays', systemEchoCancelSource };
  }
  const r = await loadEchoCanceller();
  if (!r.ok) {
    return { canceller: 'speex', status: 'missing', detail: `${r.code}: ${r.reason}`, fix: 'apt-get install libspeexdsp1 && npm install koffi (until then: self-wake guard, no barge-in)', systemEchoCancelSource };
  }
  const name = r.canceller.name;
  r.canceller.close();
  return { canceller: 'speex', status: 'works', detail: `${name}, speaker→mic delay ${setup.delayMs} ms (refined while playing)`, systemEchoCancelSource };
}

async function findEchoCancelSource(list: () => Promise<string>): Promise<string | null> {
  try {
    const line = (await list()).split('\n').find((l) => /echo[-_ ]?cancel/i.test(l));
    return line ? line.split('\t')[1] ?? line.trim() : null;
  } catch {
    return null;
  }
}

function pactlSources(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('pactl', ['list', 'short', 'sources'], { timeout: 1500 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}
