import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The committed generated code is exactly what the vendored api.proto gives. */
const root = resolve(import.meta.dirname, '../../..');

describe('generated ESPHome protobuf code', () => {
  it('matches a fresh `buf generate` of the vendored proto', () => {
    const out = mkdtempSync(join(tmpdir(), 'tally-esphome-gen-'));
    const template = join(out, 'buf.gen.yaml');
    writeFileSync(template, [
      'version: v2',
      'inputs:',
      '  - directory: src/voice/esphome/proto',
      'plugins:',
      '  - local: protoc-gen-es',
      `    out: ${out}`,
      '    opt: [target=ts, import_extension=ts]',
      '',
    ].join('\n'));
    const bin = join(root, 'node_modules/.bin');
    execFileSync(join(bin, 'buf'), ['generate', '--template', template], {
      cwd: root, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, stdio: 'pipe',
    });
    for (const f of ['api_pb.ts', 'api_options_pb.ts']) {
      expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(root, 'src/voice/esphome/generated', f), 'utf8'));
    }
  }, 60_000);
});
