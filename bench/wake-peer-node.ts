import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface PeerModel {
  init(): Promise<void>;
  predict(x: Int16Array): Promise<unknown>;
}

/**
 * openwakeword-js's own source (src/index.ts, shipped in the package) on onnxruntime-node
 * instead of onnxruntime-web: the same pipeline code, only the import of the runtime
 * changed, and its sessions given the session options ours use (one thread each), so a
 * comparison with our pipeline measures the pipelines, not the runtimes. The adapted
 * copy is written under node_modules/.cache (so it resolves the repo's packages).
 */
export async function loadPeerOnNode(sessionOptions: object): Promise<new (o: object) => PeerModel> {
  // The package exports only dist/ (ESM); its src/ sits beside it.
  const pkgDir = join(dirname(fileURLToPath(import.meta.resolve('openwakeword-js'))), '..');
  const src = readFileSync(join(pkgDir, 'src', 'index.ts'), 'utf8');
  const adapted = src
    .replace(/from 'onnxruntime-web'/g, "from 'onnxruntime-node'")
    .replace(/ort\.InferenceSession\.create\(([^)]*)\)/g, 'ort.InferenceSession.create($1, (globalThis as any).__tallyPeerSessionOptions)');
  if (adapted === src || !adapted.includes("from 'onnxruntime-node'")) throw new Error('openwakeword-js source changed: cannot adapt it to onnxruntime-node');
  const dir = join(ROOT, 'node_modules', '.cache', 'tally-bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'openwakeword-js-on-node.mts');
  writeFileSync(file, adapted);
  (globalThis as { __tallyPeerSessionOptions?: object }).__tallyPeerSessionOptions = sessionOptions;
  const mod = (await import(pathToFileURL(file).href)) as { Model: new (o: object) => PeerModel };
  return mod.Model;
}
