// Which native modules load on this machine (run inside the ARM rootfs by check.sh).
// Loads each package's compiled .node files only (no device is opened); optional drivers
// that failed to build are skipped by npm, and show here as missing.
const { readdirSync } = require('node:fs');
const { dirname, join } = require('node:path');

// speaker's binding opens ALSA's default device as it loads: give it the null device.
const { writeFileSync, mkdtempSync } = require('node:fs');
const asound = join(mkdtempSync(join(require('node:os').tmpdir(), 'tally-native-')), 'asound.conf');
writeFileSync(asound, 'pcm.!default { type null }\nctl.!default { type hw card 0 }\n');
process.env.ALSA_CONFIG_PATH = asound;

const mods = ['better-sqlite3', 'speaker', 'node-libgpiod', 'spi-device', 'rpi-ws281x-native', 'onnxruntime-node'];

function nodeFiles(dir, depth = 0) {
  if (depth > 6) return [];
  let out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'obj.target') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out = out.concat(nodeFiles(p, depth + 1));
    else if (e.name.endsWith('.node') && !e.name.startsWith('test')) out.push(p);
  }
  return out;
}

for (const m of mods) {
  let dir;
  try {
    dir = dirname(require.resolve(`${m}/package.json`));
  } catch {
    console.log(JSON.stringify({ native: m, arch: process.arch, installed: false }));
    continue;
  }
  // Only binaries for this platform (onnxruntime-node ships several).
  const files = nodeFiles(dir).filter((f) => !/\/(darwin|win32)\//.test(f) && (!/\/linux\//.test(f) || f.includes(`/linux/${process.arch}/`)));
  const loaded = [];
  const failed = [];
  for (const f of files) {
    try {
      require(f);
      loaded.push(f.slice(dir.length + 1));
    } catch (e) {
      failed.push(`${f.slice(dir.length + 1)}: ${String(e && e.message).split('\n')[0].slice(0, 160)}`);
    }
  }
  console.log(JSON.stringify({ native: m, arch: process.arch, installed: true, loads: loaded.length > 0 && failed.length === 0, loaded, failed }));
}
