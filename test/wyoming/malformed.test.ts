import { afterEach, describe, expect, it } from 'vitest';
import { HaClient } from '../support/wyoming-ha-client.ts';
import { nextEvent, pairHa, startSatellite } from './harness.ts';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

const BAD: [string, string | Buffer, string][] = [
  ['invalid JSON header', '{"type": "ping"\n', 'WYOMING_BAD_JSON'],
  ['empty line', '\n', 'WYOMING_BAD_JSON'],
  ['header with no type', '{"x":1}\n', 'WYOMING_MISSING_TYPE'],
  ['16 MiB payload announced', `{"type":"audio-chunk","payload_length":${16 * 1024 * 1024}}\n`, 'WYOMING_PAYLOAD_TOO_LARGE'],
  ['64 KiB header without LF', Buffer.alloc(65 * 1024, 0x20), 'WYOMING_HEADER_TOO_LONG'],
  ['data block not an object', '{"type":"ping","data_length":2}\n[]', 'WYOMING_DATA_NOT_OBJECT'],
];

describe('malformed frames close that connection at once, with a logged code', () => {
  for (const [name, bytes, code] of BAD) {
    it(`${name} → ${code}; the satellite keeps serving`, async () => {
      const s = await startSatellite();
      cleanup.push(() => s.sat.stop());
      const c = await HaClient.connect({ port: s.port });
      cleanup.push(() => c.close());
      c.sendRaw(bytes);
      await c.closedPromise; // closed by us: HA reconnects after 3 s instead of waiting 5 s
      expect(s.sat.closeCodes.get(code)).toBe(1);
      expect(s.logs.some((l) => l.includes(code))).toBe(true);
      const { info } = await HaClient.probe({ port: s.port });
      expect(info.satellite).toBeTruthy();
    });
  }

  it('a malformed frame on the main connection is a service loss, then HA reconnects', async () => {
    const s = await startSatellite();
    cleanup.push(() => s.sat.stop());
    const ha = await pairHa(s.port);
    cleanup.push(() => ha.close());
    const lost = nextEvent<[string]>(s.sat, 'disconnected');
    ha.sendRaw('not json\n');
    expect(await lost).toEqual(['WYOMING_BAD_JSON']);
    const ha2 = await HaClient.connect({ port: s.port });
    cleanup.push(() => ha2.close());
    await ha2.runSatellite();
    expect(s.sat.connected).toBe(true);
  });

  it('a known event with a bad field (transcript without text) closes with WYOMING_BAD_EVENT', async () => {
    const s = await startSatellite();
    cleanup.push(() => s.sat.stop());
    const ha = await pairHa(s.port);
    cleanup.push(() => ha.close());
    const lost = nextEvent<[string]>(s.sat, 'disconnected');
    ha.send('transcript', { text: 42 });
    expect(await lost).toEqual(['WYOMING_BAD_EVENT']);
    expect(s.logs.some((l) => l.includes('WYOMING_BAD_EVENT handling transcript'))).toBe(true);
  });

  it('EOF inside a payload closes with WYOMING_TRUNCATED', async () => {
    const s = await startSatellite();
    cleanup.push(() => s.sat.stop());
    const c = await HaClient.connect({ port: s.port });
    c.sendRaw('{"type":"audio-chunk","payload_length":100}\nabc');
    c.socket.end();
    await c.closedPromise;
    await new Promise((r) => setTimeout(r, 20));
    expect(s.sat.closeCodes.get('WYOMING_TRUNCATED')).toBe(1);
  });
});
