import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * deploy/install.sh's Node step (install_node), sourced with apt-get and node stubbed on a
 * PATH without the host's node: which packages it asks apt for, that npm ends up there and
 * where node-gyp is told to find the headers. The real apt run is in the arm64 rootfs
 * (scripts/arm/install-test.sh).
 */
const INSTALL = join(import.meta.dirname, '..', '..', 'deploy', 'install.sh');
const TOOLS = ['dirname', 'readlink', 'sort', 'head', 'cat', 'mkdir', 'chmod', 'mktemp', 'rm', 'printf', 'touch'];

function sandbox() {
  const root = mkdtempSync(join(tmpdir(), 'tally-node-'));
  const bin = join(root, 'usr', 'bin');
  const tools = join(root, 'tools');
  mkdirSync(bin, { recursive: true });
  mkdirSync(tools);
  for (const t of TOOLS) {
    const real = ['/usr/bin', '/bin'].map((d) => join(d, t)).find((p) => existsSync(p));
    if (real) symlinkSync(real, join(tools, t));
  }
  // apt-get stub: logs its arguments; "installing" a package drops what Debian's would.
  const log = join(root, 'apt.log');
  writeFileSync(join(tools, 'apt-get'), `#!/bin/bash
echo "$*" >> '${log}'
for p in "$@"; do
  case "$p" in
    nodejs) printf '#!/bin/bash\\necho v20.19.2\\n' > '${bin}/node'; /bin/chmod +x '${bin}/node' ;;
    npm) printf '#!/bin/bash\\necho 9.2.0\\n' > '${bin}/npm'; /bin/chmod +x '${bin}/npm' ;;
    libnode-dev) /bin/mkdir -p '${root}/usr/include/node'; : > '${root}/usr/include/node/common.gypi' ;;
  esac
done
`);
  chmodSync(join(tools, 'apt-get'), 0o755);
  return { root, bin, log, path: `${bin}:${tools}` };
}

function installNode(path: string, setup: string) {
  const script = `set -euo pipefail; . '${INSTALL}'; ${setup}; install_node; echo "NODEDIR=\${npm_config_nodedir:-}"`;
  return spawnSync('/bin/bash', ['--norc', '--noprofile', '-c', script], { encoding: 'utf8', env: { PATH: path, HOME: tmpdir() } });
}

describe('install.sh Node step', () => {
  it('Trixie without node: installs nodejs with npm and libnode-dev, and points node-gyp at the headers', () => {
    const s = sandbox();
    const r = installNode(s.path, 'CODENAME=trixie; ARCH=arm64');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(s.log, 'utf8')).toContain('install -y --no-install-recommends nodejs npm libnode-dev');
    expect(existsSync(join(s.bin, 'npm'))).toBe(true);
    expect(r.stdout).toContain(`NODEDIR=${join(s.root, 'usr')}\n`);
  });

  it('a node without npm and --skip-apt: fails with a message naming the fix', () => {
    const s = sandbox();
    writeFileSync(join(s.bin, 'node'), '#!/bin/bash\necho v20.19.2\n');
    chmodSync(join(s.bin, 'node'), 0o755);
    const r = installNode(s.path, 'CODENAME=trixie; ARCH=arm64; SKIP_APT=1');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('npm is missing');
    expect(r.stderr).toContain('apt-get install npm');
    expect(existsSync(s.log)).toBe(false);
  });

  it('node and npm already there without headers: no apt, no nodedir (node-gyp downloads them)', () => {
    const s = sandbox();
    for (const b of ['node', 'npm']) {
      writeFileSync(join(s.bin, b), '#!/bin/bash\necho v20.20.2\n');
      chmodSync(join(s.bin, b), 0o755);
    }
    const r = installNode(s.path, 'CODENAME=bookworm; ARCH=arm64');
    expect(r.status).toBe(0);
    expect(existsSync(s.log)).toBe(false);
    expect(r.stdout).toContain('NODEDIR=\n');
  });
});
