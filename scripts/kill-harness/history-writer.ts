/**
 * The child side of the kill -9 harness: opens the history store in the given data dir
 * and performs random writes, deletions and setting changes for ever, announcing each
 * (`intent`) before it starts and acknowledging it (`ack`) only after the store has
 * resolved it — i.e. after commit. Lines go out with a synchronous write, so an intent
 * is on the pipe before its operation begins. The parent kills this process at random
 * and checks that nothing acknowledged was lost.
 *
 * usage: node --import tsx scripts/kill-harness/history-writer.ts DATA_DIR RUN SEED
 */
import { writeSync } from 'node:fs';
import { HistoryStore } from '../../src/history/history-store.ts';
import { expectedAudio } from './expected-audio.ts';

const [dataDir, run, seedArg] = process.argv.slice(2);
if (!dataDir || !run) {
  process.stderr.write('usage: history-writer.ts DATA_DIR RUN SEED\n');
  process.exit(2);
}

let seed = Number(seedArg ?? 1) >>> 0 || 1;
function random(): number {
  // xorshift32: reproducible from the seed the parent prints on failure.
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed / 0x1_0000_0000;
}

function say(line: object): void {
  const buf = Buffer.from(JSON.stringify(line) + '\n');
  for (let off = 0; off < buf.length; ) {
    try {
      off += writeSync(1, buf, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
  }
}

const store = HistoryStore.open({ dataDir, orphanGraceMs: 0 });
const known = store.listRecordings({ limit: 1000 }).map((r) => r.id);
say({ op: 'ready' });
const VOLUMES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.8, 0.9];

for (let n = 0; ; n++) {
  const r = random();
  if (r < 0.55 || known.length === 0) {
    const tag = `r${run}-${n}`;
    say({ op: 'intent', kind: 'add', tag });
    const id = await store.addRecording({
      audio: expectedAudio(tag),
      transcript: `tag:${tag}`,
      responseText: null,
      trigger: 'button',
      preRollMs: 0,
      deviceId: 'harness',
      startedAt: Date.now(),
      endedAt: Date.now(),
    });
    known.push(id);
    say({ op: 'ack', kind: 'add', tag, id });
  } else if (r < 0.85) {
    const id = known.splice(Math.floor(random() * known.length), 1)[0]!;
    say({ op: 'intent', kind: 'delete', id });
    await store.deleteRecording(id);
    say({ op: 'ack', kind: 'delete', id });
  } else if (r < 0.97) {
    const volume = VOLUMES[Math.floor(random() * VOLUMES.length)]!;
    say({ op: 'intent', kind: 'set', volume });
    await store.setSettings({ volume });
    say({ op: 'ack', kind: 'set', volume });
  } else {
    say({ op: 'intent', kind: 'delete-all' });
    await store.deleteAll();
    known.length = 0;
    say({ op: 'ack', kind: 'delete-all' });
  }
}
