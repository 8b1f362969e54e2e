#!/usr/bin/env node
// The `tally` command. Tally runs from its TypeScript sources through tsx's loader,
// so there is no build step between a checkout and a running device.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
