#!/usr/bin/env node
// `npm run bench`: runs every benchmark in bench/ and prints one JSON object per line.
import { register } from 'tsx/esm/api';

register();
const { runAllBenchmarks } = await import('../bench/run-all.ts');
process.exitCode = await runAllBenchmarks(process.argv.slice(2));
