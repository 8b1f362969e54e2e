#!/usr/bin/env node
// Prints the installed packages whose install scripts package.json's `allowScripts` allows, one
// per line as "<name> required|optional". check.sh installs with --ignore-scripts and rebuilds
// exactly these: an npm older than 11.16 (Debian's, the Node tarballs') ignores `allowScripts`
// and would run every script, and @bufbuild/buf's postinstall throws on 32-bit ARM.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = process.argv[2] ?? process.cwd();
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
for (const [name, allowed] of Object.entries(pkg.allowScripts ?? {})) {
  if (allowed !== true) continue;
  if (!fs.existsSync(path.join(root, 'node_modules', name, 'package.json'))) continue;
  const entry = lock.packages?.[`node_modules/${name}`] ?? {};
  console.log(`${name} ${entry.optional ? 'optional' : 'required'}`);
}
