import { TallyError } from '../../../hal/base/errors.ts';
import type { CliIO } from '../io.ts';
import { intOption, parseOptions } from '../parse-options.ts';

const OPTIONS = {
  model: { type: 'string' },
  positive: { type: 'string' },
  negative: { type: 'string' },
  noise: { type: 'string' },
  snr: { type: 'string' },
  threshold: { type: 'string' },
  'refractory-ms': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

const HELP = `usage: tally wake-eval --model NAME|PATH.onnx --positive DIR --negative DIR
                       [--noise WAV --snr DB] [--threshold X] [--refractory-ms N] [--json]
  Misses are positive files without a wake event; false accepts are events (refractory
  applied, default 2000 ms) over the negative audio, per hour. WAVs of any rate, width
  and channel count are converted to 16 kHz mono; unsupported encodings are refused.`;

function numberOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new TallyError('CLI_BAD_OPTION', `--${name} must be a number from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseOptions(argv, OPTIONS, 'wake-eval');
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  const valid = Object.keys(OPTIONS).map((o) => `--${o}`);
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
  const result = evaluateWakeModel({
    model: values.model!,
    positiveDir: values.positive!,
    negativeDir: values.negative!,
    ...(values.noise !== undefined ? { noise: values.noise, snrDb: snrDb! } : {}),
    ...(threshold !== undefined ? { threshold } : {}),
    ...(refractoryMs !== undefined ? { refractoryMs } : {}),
  });
  if (values.json) {
    io.out(JSON.stringify(result));
  } else {
    io.out(`model ${result.model} at threshold ${result.threshold}`);
    io.out(`  misses        ${result.misses}/${result.positives} (${(result.missRate * 100).toFixed(1)} %)`);
    io.out(`  false accepts ${result.falseAccepts} in ${result.negativeHours.toFixed(3)} h (${result.falseAcceptsPerHour.toFixed(2)}/h)`);
    io.out(`  speed         RTF ${result.rtf.toFixed(4)}, frame p50 ${result.frameMsP50.toFixed(2)} ms, p99 ${result.frameMsP99.toFixed(2)} ms`);
  }
  return 0;
}
