// `npm run screenshots`: regenerates docs/screenshots/ (every page and state at 800×480,
// 1024×600 and 1280×800) by running the e2e suite with TALLY_UPDATE_SCREENSHOTS=1. Old
// PNGs are removed first, so a page or state that no longer exists leaves no stale picture.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(import.meta.dirname, '..', 'docs', 'screenshots');
mkdirSync(dir, { recursive: true });
for (const f of readdirSync(dir)) if (f.endsWith('.png')) rmSync(join(dir, f));
const r = spawnSync('npx', ['vitest', 'run', 'test/e2e'], { stdio: 'inherit', env: { ...process.env, TALLY_UPDATE_SCREENSHOTS: '1' } });
process.exit(r.status ?? 1);
