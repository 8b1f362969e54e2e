import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { HistoryStore } from '../../src/history/history-store.ts';
import { tempDirs } from '../history/helpers.ts';

const newDir = tempDirs();

async function tally(...argv: string[]) {
  const lines: string[] = [];
  const code = await main(argv, { out: (l) => lines.push(l), err: (l) => lines.push(l), stdin: new PassThrough(), stdoutIsTTY: false, env: {} });
  return { code, lines };
}

describe('tally history verify', () => {
  it('says intact (exit 0) after streams and a deletion, BROKEN (exit 1) after an edit', async () => {
    const dir = newDir();
    const store = HistoryStore.open({ dataDir: dir });
    for (let i = 1; i <= 3; i++) {
      const e = { id: `e${i}`, streamId: i, startedAt: i * 1000, endedAt: i * 1000 + 500, trigger: 'wake' as const, wakeWord: 'alexa', preRollMs: 500, audioBytes: 32_000, destination: 'sim', endReason: 'processed' as const, deviceId: 'kitchen' };
      store.ledger.opened(e);
      store.ledger.closed(e);
    }
    await store.deleteRange(1500, 2500);
    await store.close();
    const ok = await tally('history', 'verify', '--data-dir', dir);
    expect(ok.code).toBe(0);
    expect(ok.lines[0]).toMatch(/^ledger chain intact: 3 sealed entries, 1 deletion receipts, 1 gaps covered by receipts/);
    const again = HistoryStore.open({ dataDir: dir });
    again.database.prepare("UPDATE ledger SET destination = 'elsewhere' WHERE id = 'e3'").run();
    await again.close();
    const bad = await tally('history', 'verify', '--json', '--data-dir', dir);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.lines[0]!)).toMatchObject({ intact: false, problems: [{ code: 'LEDGER_ROW_ALTERED', seq: 3 }] });
  });
});

describe('tally doctor and a corrupt mute file', () => {
  it('says the device starts muted, and why', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = newDir();
    writeFileSync(join(dir, 'mute.json'), '{"muted": tru');
    const r = await tally('doctor', '--board', 'sim', '--data-dir', dir);
    expect(r.lines.join('\n')).toMatch(/mute state: MUTE_STATE_CORRUPT .* starts MUTED/);
  });
});

describe('tally settings first-run', () => {
  it('explains the choice once, records it, and stops showing it', async () => {
    const dir = newDir();
    const before = await tally('settings', '--data-dir', dir, 'get');
    expect(before.lines).toContain('# first-run setup: not done yet (the screen shows it; or `tally settings first-run`)');
    expect((await tally('settings', 'first-run', 'keep', '--data-dir', dir)).lines).toEqual(['recordings will be kept for 3 months (retention = "3-months")']);
    const after = await tally('settings', 'get', '--data-dir', dir);
    // The same record the screen's flow writes: the screen will not ask again either.
    expect(after.lines.at(-1)).toMatch(/^# first-run setup: done at /);
    expect(after.lines).toContain('saveRecordings = true');
  });
});
