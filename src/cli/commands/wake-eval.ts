import { basename } from 'node:path';
import { TallyError } from '../../../hal/base/errors.ts';
import type { FolderResult } from '../../wake/wake-eval.ts';
import { startProgress, type Progress } from '../progress.ts';
import type { CliIO } from '../io.ts';
import { formatHelp, HELP_OPTION, intOption, optionNames, parseOptions, type OptionTable } from '../parse-options.ts';

const OPTIONS = {
  model: { type: 'string', value: 'NAME|PATH.onnx', help: 'a shipped model (alexa, hey_jarvis, …) or an .onnx file' },
  positive: { type: 'string', value: 'DIR', help: 'WAVs that contain the wake word (sub-folders included)' },
  negative: { type: 'string', value: 'DIR', help: 'WAVs that do not (sub-folders included)' },
  noise: { type: 'string', value: 'WAV', help: 'noise mixed into every file (with --snr)' },
  snr: { type: 'string', value: 'DB', help: 'signal-to-noise ratio of the mix, -20 to 60' },
  threshold: { type: 'string', value: 'X', help: 'detection threshold 0..1 (default: the model\'s)' },
  'refractory-ms': { type: 'string', value: 'N', help: 'events closer than this count once (default 2000)' },
  list: { type: 'boolean', help: 'name the missed and the falsely accepted files' },
  json: { type: 'boolean', help: 'one JSON object' },
  ...HELP_OPTION,
} as const satisfies OptionTable;

const HELP = formatHelp('wake-eval', OPTIONS, {
  usage: ['--model NAME|PATH.onnx --positive DIR --negative DIR', '  [--noise WAV --snr DB] [--threshold X] [--refractory-ms N] [--list] [--json]'],
  notes: [
    'Misses are positive files without a wake event; false accepts are events (refractory',
    'applied) over the negative audio, per hour. WAVs of any rate, width and channel count',
    'are converted to 16 kHz mono; unsupported encodings are refused.',
  ],
});

function numberOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new TallyError('CLI_BAD_OPTION', `--${name} must be a number from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

/** Per folder: how many files, and misses (positive) or false accepts (negative). */
function folderTable(folders: FolderResult[]): string[] {
  const width = Math.max(6, ...folders.map((f) => f.folder.length));
  const rows = folders.map((f) => `  ${f.folder.padEnd(width)}  ${f.kind.padEnd(8)}  ${String(f.files).padStart(5)}  ${f.kind === 'positive' ? `${f.errors} missed` : `${f.errors} false accept(s)`}`);
  return ['', `  ${'folder'.padEnd(width)}  ${'kind'.padEnd(8)}  ${'files'.padStart(5)}  result`, ...rows];
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseOptions(argv, OPTIONS, 'wake-eval');
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  const valid = optionNames(OPTIONS);
  if (positionals.length) throw new TallyError('CLI_BAD_OPTION', `tally wake-eval takes no arguments, got "${positionals[0]}"`, { validOptions: valid });
  for (const required of ['model', 'positive', 'negative'] as const) {
    if (!values[required]) throw new TallyError('CLI_MISSING_OPTION', `tally wake-eval needs --${required}`, { validOptions: valid });
  }
  if ((values.noise === undefined) !== (values.snr === undefined)) {
    throw new TallyError('CLI_BAD_OPTION', '--noise and --snr must be given together');
  }
  const snrDb = numberOption(values.snr, 'snr', -20, 60);
  const threshold = numberOption(values.threshold, 'threshold', 0, 1);
  const refractoryMs = intOption(values['refractory-ms'], 'refractory-ms', 0, 60_000);
  // Loaded here so `tally --help` never loads onnxruntime.
  const { evaluateWakeModel } = await import('../../wake/wake-eval.ts');
  let progress: Progress | null = null;
  const result = evaluateWakeModel({
    onFile: (done, total, file) => {
      progress ??= startProgress('wake-eval', total, { write: (t) => io.err(t.replace(/\n$/, '')), isTTY: io.stdoutIsTTY });
      progress.tick(basename(file));
      if (done === total) progress.done();
    },
    model: values.model!,
    positiveDir: values.positive!,
    negativeDir: values.negative!,
    ...(values.noise !== undefined ? { noise: values.noise, snrDb: snrDb! } : {}),
    ...(threshold !== undefined ? { threshold } : {}),
    ...(refractoryMs !== undefined ? { refractoryMs } : {}),
  });
  if (values.json) {
    // The specified figures; the file lists and folders only when asked for (--list).
    const { missedFiles, falseAcceptFiles, folders, ...figures } = result;
    io.out(JSON.stringify(values.list ? { ...figures, missedFiles, falseAcceptFiles, folders } : figures));
  } else {
    io.out(`model ${result.model} at threshold ${result.threshold}`);
    io.out(`  misses        ${result.misses}/${result.positives} (${(result.missRate * 100).toFixed(1)} %)`);
    io.out(`  false accepts ${result.falseAccepts} in ${result.negativeHours.toFixed(3)} h (${result.falseAcceptsPerHour.toFixed(2)}/h)`);
    io.out(`  speed         RTF ${result.rtf.toFixed(4)}, frame p50 ${result.frameMsP50.toFixed(2)} ms, p99 ${result.frameMsP99.toFixed(2)} ms`);
    for (const line of folderTable(result.folders)) io.out(line);
    if (values.list) {
      for (const f of result.missedFiles) io.out(`missed         ${f}`);
      for (const f of result.falseAcceptFiles) io.out(`false accept   ${f}`);
    }
  }
  return 0;
}
