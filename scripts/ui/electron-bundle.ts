import { join } from 'node:path';
import { UI_DIST } from '../../src/display/ui-dist.ts';
import { fileURLToPath } from 'node:url';

const UI_DIR = fileURLToPath(new URL('../../ui', import.meta.url));

/** Bundles the main process and the sandboxed preload to CommonJS (Electron loads no TypeScript). */
export async function buildElectronBundle(outdir = join(UI_DIST, 'electron')): Promise<string> {
  const { build } = await import('esbuild');
  const common = { bundle: true, platform: 'node' as const, format: 'cjs' as const, target: 'node20', external: ['electron'], logLevel: 'warning' as const };
  await build({ ...common, entryPoints: [join(UI_DIR, 'electron/entry.ts')], outfile: join(outdir, 'main.cjs') });
  await build({ ...common, entryPoints: [join(UI_DIR, 'electron/preload.ts')], outfile: join(outdir, 'preload.cjs') });
  return join(outdir, 'main.cjs');
}
