import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Each probe breaks one rule of .dependency-cruiser.cjs on purpose; cruising the probes must
// report exactly that rule for that file. (The real tree is checked by `npm run lint:imports`
// inside `npm test`.)
const tag = `__rule-probe-${process.pid}`;
const probes: { file: string; source: string; rule: string }[] = [
  { file: `hal/${tag}.ts`, source: "import '../src/core/device.ts';", rule: 'hal-not-to-src' },
  { file: `hal/base/${tag}.ts`, source: "import '../light-ring.ts';", rule: 'hal-base-is-the-kernel' },
  { file: `boards/${tag}.ts`, source: "import '../src/core/settings/schema.ts';", rule: 'boards-only-hal' },
  { file: `src/core/${tag}.ts`, source: "import '../voice/sim-voice-service.ts';", rule: 'core-owns-its-ports' },
  { file: `src/display/${tag}.ts`, source: "import '../cli/main.ts';", rule: 'adapters-not-to-cli' },
  { file: `src/history/${tag}.ts`, source: "import '../voice/create-voice-service.ts';", rule: 'adapters-not-sideways' },
  { file: `src/voice/create-${tag}.ts`, source: "import './wyoming/satellite.ts';", rule: 'voice-factory-uses-entry-points' },
  { file: `ui/src/${tag}.ts`, source: "import '../../src/core/device.ts';", rule: 'ui-only-display-protocol' },
  { file: `src/history/${tag}-stream.ts`, source: "import type {} from '../core/ports/voice-stream.ts';", rule: 'only-gate-streams' },
  { file: `src/wake/${tag}-a.ts`, source: `import './${tag}-b.ts';`, rule: 'no-circular' },
  // The other half of the cycle: depcruise reports a cycle once, from either end.
  { file: `src/wake/${tag}-b.ts`, source: `import './${tag}-a.ts';`, rule: 'no-circular' },
];

interface CruiseResult {
  summary: { violations: { from: string; rule: { name: string } }[] };
}

let result: CruiseResult;

beforeAll(() => {
  for (const p of probes) {
    mkdirSync(dirname(p.file), { recursive: true });
    writeFileSync(p.file, `${p.source}\nexport {};\n`);
  }
  const bin = join('node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
  let out: string;
  try {
    out = execFileSync(process.execPath, [bin, ...probes.map((p) => p.file), '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { encoding: 'utf8' });
  } catch (e) {
    // depcruise exits non-zero when it finds violations: that is the point here.
    out = (e as { stdout: string }).stdout;
  }
  result = JSON.parse(out) as CruiseResult;
}, 60_000);

afterAll(() => {
  for (const p of probes) rmSync(p.file, { force: true });
});

describe('import rules fail when broken on purpose', () => {
  for (const p of probes) {
    it(`${p.rule}: ${p.file}`, () => {
      const sameCycle = (from: string) => p.rule === 'no-circular' && from.startsWith(`src/wake/${tag}-`);
      const rules = result.summary.violations.filter((v) => v.from === p.file || sameCycle(v.from)).map((v) => v.rule.name);
      expect(rules).toContain(p.rule);
    });
  }
});
