// `npm run graph:imports [-- DIR]`: the import graph's shape in figures — modules, arrows
// between folders, arrows that point up (the HAL or boards into src/, the screen into the
// device beyond its protocol), and cycles. Prints JSON. DIR defaults to this checkout, so
// `git worktree add /tmp/old REV && npm run graph:imports -- /tmp/old` gives "before".
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

interface Module {
  source: string;
  dependencies: { resolved: string; circular: boolean; coreModule?: boolean; couldNotResolve?: boolean }[];
}

const ROOTS = ['hal', 'boards', 'src', 'ui', 'bench', 'scripts'];

/** The folder an arrow is counted between: src/ and hal/ one level down, others at the top. */
export function area(path: string): string {
  const parts = path.split('/');
  if ((parts[0] === 'src' || parts[0] === 'hal') && parts.length > 2) return `${parts[0]}/${parts[1]}`;
  return parts[0]!;
}

const UPWARD: [RegExp, RegExp][] = [
  [/^hal\//, /^(src|boards|ui)\//],
  [/^boards\//, /^(src|ui)\//],
  [/^ui\//, /^(src|hal|boards)\/(?!display\/protocol\.ts$)/],
];

function cruise(dir: string): Module[] {
  const bin = resolve('node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  const roots = ROOTS.filter((r) => existsSync(join(dir, r)));
  const args = [bin, ...roots, '--no-config', '--ts-pre-compilation-deps', '--ts-config', 'tsconfig.json', '--do-not-follow', 'node_modules', '--exclude', '(^|/)(node_modules|dist)/', '--output-type', 'json'];
  const out = execFileSync(process.execPath, args, { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
  return (JSON.parse(out) as { modules: Module[] }).modules;
}

export function graphFigures(modules: Module[]) {
  const ours = modules.filter((m) => ROOTS.some((r) => m.source.startsWith(`${r}/`)));
  let crossFolder = 0;
  const upward: string[] = [];
  const cycles = new Set<string>();
  for (const m of ours) {
    for (const d of m.dependencies) {
      if (d.coreModule || d.couldNotResolve || d.resolved.includes('node_modules')) continue;
      if (area(m.source) !== area(d.resolved)) crossFolder++;
      if (UPWARD.some(([from, to]) => from.test(m.source) && to.test(d.resolved))) upward.push(`${m.source} → ${d.resolved}`);
      if (d.circular) cycles.add([m.source, d.resolved].sort().join(' ↔ '));
    }
  }
  return { modules: ours.length, crossFolderArrows: crossFolder, upwardArrows: upward.length, circularEdges: cycles.size, upward, cycles: [...cycles] };
}

const dir = resolve(process.argv[2] ?? '.');
process.stdout.write(`${JSON.stringify({ dir, ...graphFigures(cruise(dir)) }, null, 2)}\n`);
