import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildElectronBundle } from '../../scripts/ui/electron-bundle.ts';

describe('Electron bundle', () => {
  it('bundles main and a sandbox-safe preload that requires only electron', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-electron-'));
    const main = await buildElectronBundle(dir);
    const preload = readFileSync(join(dir, 'preload.cjs'), 'utf8');
    const requires = (src: string) => [...src.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    // A sandboxed preload cannot load anything but electron's renderer modules.
    expect(new Set(requires(preload))).toEqual(new Set(['electron']));
    expect(preload).toContain('tallyElectron');
    expect(preload).toContain('scan:set-open');
    const mainSrc = readFileSync(main, 'utf8');
    expect(requires(mainSrc).filter((r) => r !== 'electron' && !r!.startsWith('node:'))).toEqual([]);
    expect(mainSrc).toContain('TALLY_SCREEN_URL');
  });
});
