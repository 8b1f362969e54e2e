#!/usr/bin/env node
// Test-only: asks the Wyoming server at HOST:PORT to describe itself, as Home Assistant
// does when the satellite is added, and prints the first `info` header line it gets back.
// Exit 0 on an info event, 1 otherwise. Usage: wyoming-describe.mjs HOST PORT [TIMEOUT_MS]
import { connect } from 'node:net';

const [host, port, timeoutMs = '10000'] = process.argv.slice(2);
const socket = connect({ host, port: Number(port) });
const timer = setTimeout(() => finish(1, `no info event within ${timeoutMs} ms`), Number(timeoutMs));
let buffered = '';

function finish(code, message) {
  clearTimeout(timer);
  (code === 0 ? process.stdout : process.stderr).write(message + '\n');
  socket.destroy();
  process.exit(code);
}

socket.on('connect', () => socket.write(JSON.stringify({ type: 'describe', version: '1.5.2' }) + '\n'));
socket.on('data', (chunk) => {
  buffered += chunk.toString('latin1');
  for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
    const line = buffered.slice(0, nl);
    buffered = buffered.slice(nl + 1);
    try {
      if (JSON.parse(line).type === 'info') finish(0, line);
    } catch {
      // a data or payload block, not a header
    }
  }
});
socket.on('error', (e) => finish(1, `connect ${host}:${port}: ${e.message}`));
socket.on('close', () => finish(1, 'connection closed before an info event'));
