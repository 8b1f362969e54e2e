import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { encodeWav16 } from '../../../../hal/base/wav.ts';
import { EsphomeSatellite, type EsphomeSatelliteOptions } from '../../../../src/voice/esphome/satellite.ts';
import { MemoryControls } from '../../../../src/voice/esphome/satellite-controls.ts';

/** A satellite on a free loopback port with in-memory controls, plus an HTTP server standing in for HA's TTS proxy. */
export interface Fixture {
  sat: EsphomeSatellite;
  controls: MemoryControls;
  psk: Buffer;
  pskB64: string;
  logs: string[];
  tts: { url: (name: string) => string; fetched: string[]; close(): Promise<void> };
  close(): Promise<void>;
}

export async function satelliteFixture(over: Partial<EsphomeSatelliteOptions> & { plaintext?: boolean; hardwareMute?: boolean } = {}): Promise<Fixture> {
  const psk = randomBytes(32);
  const logs: string[] = [];
  const controls = new MemoryControls(over.hardwareMute ?? true, [{ id: 'alexa', label: 'Alexa' }, { id: 'hey_jarvis', label: 'Hey Jarvis' }]);
  const tts = await ttsServer();
  const sat = new EsphomeSatellite({
    identity: { name: 'tally-test', friendlyName: 'Tally test', mac: '02:00:00:7A:11:01', version: '0.1.0' },
    psk: over.plaintext ? null : psk,
    controls,
    port: 0,
    host: '127.0.0.1',
    zeroconf: false,
    log: (l) => logs.push(l),
    ...over,
  });
  await sat.start();
  return {
    sat, controls, psk, pskB64: psk.toString('base64'), logs, tts,
    close: async () => {
      await sat.stop();
      await tts.close();
    },
  };
}

/** Serves `/tts/<name>.wav` as 0.2 s of 16 kHz mono WAV and records what was fetched. */
async function ttsServer(): Promise<Fixture['tts']> {
  const fetched: string[] = [];
  const wav = Buffer.from(encodeWav16(new Int16Array(3200).fill(1000), 16000, 1));
  const server: Server = createServer((req, res) => {
    fetched.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'audio/wav' });
    res.end(wav);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    url: (name) => `http://127.0.0.1:${port}/tts/${name}.wav`,
    fetched,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
