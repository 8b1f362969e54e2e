// `tsx scripts/function-lengths.ts [dirs…] [--max N] [--json] [--top N] [--exclude dir]…`
// Lists the longest functions (declarations, methods, constructors, accessors, arrow and
// function expressions) by source lines, first line to last, nested functions counted
// inside their parent too. `--max N` exits 1 when any function is longer than N lines
// (the standard: 60 under src/ and hal/). Defaults: hal boards src, top 20.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

export interface FunctionLength {
  /** Path relative to the working directory, with forward slashes. */
  file: string;
  line: number;
  /** `Class.method`, `function`, the variable an arrow is assigned to, or `<anonymous>` in its parent. */
  name: string;
  lines: number;
}

function sourceFiles(root: string, exclude: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const rel = relative('.', p).split(sep).join('/');
    if (exclude.some((e) => rel === e || rel.startsWith(e.replace(/\/$/, '') + '/'))) return;
    if (statSync(p).isDirectory()) {
      if (p.endsWith('node_modules') || p.endsWith('dist')) return;
      for (const e of readdirSync(p).sort()) walk(join(p, e));
    } else if (/\.tsx?$/.test(p) && !p.endsWith('.d.ts')) out.push(p);
  };
  walk(root);
  return out;
}

function nameOf(node: ts.Node, sf: ts.SourceFile): string | null {
  const text = (n: ts.Node | undefined) => (n ? n.getText(sf) : null);
  const owner = (n: ts.Node) => (ts.isClassLike(n.parent) && n.parent.name ? `${n.parent.name.text}.` : '');
  if (ts.isFunctionDeclaration(node)) return text(node.name) ?? 'default';
  if (ts.isConstructorDeclaration(node)) return `${owner(node)}constructor`;
  if (ts.isMethodDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node)) return `${owner(node)}${text(node.name)}`;
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
    const p = node.parent;
    if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) return text(p.name);
    return ts.isFunctionExpression(node) && node.name ? node.name.text : null;
  }
  return null;
}

const isFunction = (n: ts.Node): n is ts.FunctionLikeDeclaration =>
  ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n) || ts.isGetAccessor(n) ||
  ts.isSetAccessor(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n);

/** Every function with a body in one file. */
export function measureFile(path: string): FunctionLength[] {
  const sf = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true, path.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const file = relative('.', path).split(sep).join('/');
  const out: FunctionLength[] = [];
  const visit = (node: ts.Node, parent: string) => {
    let here = parent;
    if (isFunction(node) && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      here = nameOf(node, sf) ?? `<anonymous in ${parent}>`;
      out.push({ file, line: start + 1, name: here, lines: end - start + 1 });
    }
    ts.forEachChild(node, (c) => visit(c, here));
  };
  visit(sf, '<module>');
  return out;
}

/** All functions under `roots`, longest first. */
export function measureFunctions(roots: string[], opts: { exclude?: string[] } = {}): FunctionLength[] {
  const files = roots.flatMap((r) => sourceFiles(r, opts.exclude ?? []));
  return files.flatMap(measureFile).sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file) || a.line - b.line);
}

function parseArgs(argv: string[]): { roots: string[]; max: number | null; json: boolean; top: number; exclude: string[] } {
  const a = { roots: [] as string[], max: null as number | null, json: false, top: 20, exclude: [] as string[] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--max') a.max = Number(value());
    else if (arg === '--top') a.top = Number(value());
    else if (arg === '--exclude') a.exclude.push(value());
    else if (arg === '--json') a.json = true;
    else a.roots.push(arg);
  }
  if (a.max !== null && !Number.isInteger(a.max)) throw new Error('--max needs an integer');
  if (!a.roots.length) a.roots = ['hal', 'boards', 'src'];
  return a;
}

function main(argv: string[]): number {
  const args = parseArgs(argv);
  const all = measureFunctions(args.roots, { exclude: args.exclude });
  const over = args.max === null ? [] : all.filter((f) => f.lines > args.max!);
  const shown = args.max === null ? all.slice(0, args.top) : over;
  if (args.json) process.stdout.write(JSON.stringify({ functions: all.length, max: args.max, over: over.length, longest: shown }) + '\n');
  else {
    for (const f of shown) process.stdout.write(`${String(f.lines).padStart(4)}  ${f.file}:${f.line}  ${f.name}\n`);
    const longest = all[0];
    process.stdout.write(`${all.length} functions; longest ${longest ? `${longest.lines} lines` : 'none'}` + (args.max === null ? '\n' : `; ${over.length} over ${args.max}\n`));
  }
  return over.length ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
