import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TallyError } from '../../../hal/base/errors.ts';
import { formatSummaryLine, parseInstant, summaryJson } from '../../history/cli-args.ts';
import { defaultDataDir } from '../../history/data-dir.ts';
import { HistoryStore, type DeletionReceipt } from '../../history/history-store.ts';
import { encodeWavBuffer } from '../../../hal/base/wav.ts';
import type { CliIO } from '../io.ts';
import { formatHelp, HELP_OPTION, intOption, parseOptions, type OptionTable } from '../parse-options.ts';

const SUBCOMMANDS = ['list', 'play', 'delete', 'export', 'verify'] as const;
const OPTIONS = {
  'data-dir': { type: 'string', value: 'DIR', help: 'where the history lives (default $XDG_DATA_HOME/tally or ~/.local/share/tally); must exist' },
  id: { type: 'string', value: 'N', help: 'play / delete: the recording with this id (from list)' },
  from: { type: 'string', value: 'DATE', help: 'list / delete: from this instant on' },
  to: { type: 'string', value: 'DATE', help: 'list / delete: up to this instant (exclusive)' },
  device: { type: 'string', value: 'ID', help: 'list / delete: only this device\'s recordings' },
  all: { type: 'boolean', help: 'delete: every recording' },
  last: { type: 'boolean', help: 'delete: the newest recording' },
  today: { type: 'boolean', help: 'delete: everything since local midnight' },
  limit: { type: 'string', value: 'N', help: 'list: at most N rows (default 50)' },
  offset: { type: 'string', value: 'N', help: 'list: skip the newest N rows' },
  json: { type: 'boolean', help: 'one JSON object per line (times as ISO 8601 with the local offset)' },
  transcripts: { type: 'boolean', help: 'list: include what was said and answered (your terminal only)' },
  out: { type: 'string', value: 'FILE', help: 'play: the WAV to write (default ./tally-recording-N.wav); export: the .tar' },
  ...HELP_OPTION,
} as const satisfies OptionTable;

const HELP = formatHelp('history', OPTIONS, {
  usage: [
    'list   [--from DATE] [--to DATE] [--device ID] [--limit N] [--offset N] [--json] [--transcripts]',
    'play   --id N [--out FILE.wav]',
    'delete --id N | --from DATE --to DATE | --device ID | --all | --last | --today',
    'export --out FILE.tar',
    'verify [--json]   (checks the ledger\'s hash chain; exit 1 if broken)',
  ],
  notes: ['DATE: 2026-01-05 (local midnight), 2026-01-05T14:30 (local time), or epoch ms; --to is exclusive.', 'Times are shown in local time (the TZ environment variable applies).'],
});

type Values = ReturnType<typeof parse>['values'];
const parse = (argv: string[]) => parseOptions(argv, OPTIONS, 'history');

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(argv);
  const [sub, ...extra] = positionals;
  if (values.help || !sub) {
    (values.help ? io.out : io.err)(HELP);
    return values.help ? 0 : 2;
  }
  if (!(SUBCOMMANDS as readonly string[]).includes(sub)) {
    throw new TallyError('CLI_UNKNOWN_SUBCOMMAND', `unknown history subcommand "${sub}"`, { validOptions: SUBCOMMANDS });
  }
  if (extra.length) throw new TallyError('CLI_BAD_OPTION', `tally history ${sub}: unexpected argument "${extra[0]}"`);
  // Never makes a data dir: a mistyped --data-dir must not look like an empty history.
  const store = HistoryStore.open({ dataDir: values['data-dir'] ?? defaultDataDir(io.env), create: false });
  try {
    if (sub === 'list') return list(store, values, io);
    if (sub === 'play') return play(store, values, io);
    if (sub === 'delete') return await remove(store, values, io);
    if (sub === 'verify') return verify(store, values, io);
    return await exportTo(store, values, io);
  } finally {
    await store.close();
  }
}

function list(store: HistoryStore, v: Values, io: CliIO): number {
  const rows = store.listRecordings({
    limit: intOption(v.limit, 'limit', 1, 1000) ?? 50,
    offset: intOption(v.offset, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0,
    ...(v.from ? { from: parseInstant(v.from, 'from') } : {}),
    ...(v.to ? { to: parseInstant(v.to, 'to') } : {}),
    ...(v.device ? { deviceId: v.device } : {}),
  });
  for (const r of rows) {
    // Words only when asked for: the owner's own terminal, never a log.
    const rec = v.transcripts ? store.getRecording(r.id) : null;
    const words = rec ? { transcript: rec.transcript, responseText: rec.responseText } : {};
    if (v.json) io.out(JSON.stringify({ ...summaryJson(r), ...words }));
    else io.out(formatSummaryLine(r) + (rec ? `  "${rec.transcript ?? ''}"` : ''));
  }
  if (!v.json && rows.length === 0) io.out('no recordings');
  return 0;
}

function play(store: HistoryStore, v: Values, io: CliIO): number {
  const id = requireId(v);
  const rec = store.getRecording(id);
  const out = resolve(v.out ?? `tally-recording-${id}.wav`);
  writeFileSync(out, encodeWavBuffer(store.getRecordingAudio(id), rec.sampleRate), { mode: 0o600 });
  io.out(v.json ? JSON.stringify({ id, wav: out }) : `wrote recording ${id} to ${out}`);
  return 0;
}

async function remove(store: HistoryStore, v: Values, io: CliIO): Promise<number> {
  const chosen = [v.id !== undefined, v.from !== undefined || v.to !== undefined, v.device !== undefined, v.all, v.last, v.today].filter(Boolean).length;
  if (chosen !== 1) {
    throw new TallyError('CLI_BAD_OPTION', 'tally history delete needs exactly one of the selectors', {
      validOptions: ['--id N', '--from DATE --to DATE', '--device ID', '--all', '--last', '--today'],
    });
  }
  let receipt: DeletionReceipt;
  if (v.id !== undefined) receipt = await store.deleteRecording(requireId(v));
  else if (v.device !== undefined) receipt = await store.deleteDevice(v.device);
  else if (v.all) receipt = await store.deleteAll();
  else if (v.last) receipt = await store.deleteLast();
  else if (v.today) receipt = await store.deleteToday();
  else {
    if (!v.from || !v.to) throw new TallyError('CLI_BAD_OPTION', '--from and --to go together', { validOptions: ['--from DATE --to DATE'] });
    receipt = await store.deleteRange(parseInstant(v.from, 'from'), parseInstant(v.to, 'to'));
  }
  io.out(v.json ? JSON.stringify(receipt) : `deleted ${receipt.recordings} recording(s) and ${receipt.ledgerEntries} ledger entries; verified on disk`);
  return 0;
}

function verify(store: HistoryStore, v: Values, io: CliIO): number {
  const r = store.verifyLedger();
  if (v.json) io.out(JSON.stringify(r));
  else {
    io.out(`ledger chain ${r.intact ? 'intact' : 'BROKEN'}: ${r.sealed} sealed entries, ${r.receipts} deletion receipts, ${r.bridgedGaps} gaps covered by receipts, ${r.unsealed} unsealed`);
    io.out(`head ${r.head}`);
    for (const p of r.problems) io.out(`  ${p.code} at entry ${p.seq}`);
  }
  return r.intact ? 0 : 1;
}

async function exportTo(store: HistoryStore, v: Values, io: CliIO): Promise<number> {
  if (!v.out) throw new TallyError('CLI_BAD_OPTION', 'tally history export needs --out FILE.tar', { validOptions: ['--out FILE.tar'] });
  const summary = await store.exportArchive(resolve(v.out));
  io.out(v.json ? JSON.stringify(summary) : `exported ${summary.recordings} recording(s), ${summary.scans} scan(s), ${summary.ledgerEntries} ledger entries to ${summary.path}`);
  return 0;
}

function requireId(v: Values): number {
  const id = intOption(v.id, 'id', 1, Number.MAX_SAFE_INTEGER);
  if (id === undefined) throw new TallyError('CLI_BAD_OPTION', 'this subcommand needs --id N', { validOptions: ['--id N'] });
  return id;
}
