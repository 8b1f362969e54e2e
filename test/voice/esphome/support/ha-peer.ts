import '../../../support/node22-shims.ts';
import { EspHomeClient, VoiceAssistantEvent, VoiceAssistantSubscribeFlag } from 'esphome-client';

/**
 * Home Assistant's side, played by the published `esphome-client` package (not ours):
 * connects (Noise when given the key), subscribes to the voice assistant with API audio
 * and records everything the device sends. Pipeline events are sent by the test.
 */
export interface PeerRecord {
  requests: { start: boolean; wakeWordPhrase?: string; conversationId?: string }[];
  audioBytes: number;
  audioEnd: number;
  announceFinished: boolean[];
  states: unknown[];
  entities: unknown[];
  deviceInfo: unknown | null;
}

export interface HaPeer {
  client: EspHomeClient;
  rec: PeerRecord;
  subscribe(): void;
  accept(): void;
  event(type: number, data?: Record<string, string>): void;
  close(): Promise<void>;
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

export async function connectPeer(port: number, psk: string | null, opts: { subscribe?: boolean; autoAccept?: boolean } = {}): Promise<HaPeer> {
  const client = new EspHomeClient({ host: '127.0.0.1', port, psk, logger: quiet, clientId: 'Home Assistant 2026.1 (test peer)' } as never);
  const rec: PeerRecord = { requests: [], audioBytes: 0, audioEnd: 0, announceFinished: [], states: [], entities: [], deviceInfo: null };
  const peer: HaPeer = {
    client,
    rec,
    subscribe: () => client.voiceAssistant.subscribe(VoiceAssistantSubscribeFlag.API_AUDIO),
    accept: () => client.voiceAssistant.respondToRequest({ port: 0 }),
    event: (type, data = {}) => client.voiceAssistant.sendEvent(type as never, Object.entries(data).map(([name, value]) => ({ name, value }))),
    close: async () => {
      try {
        await client.disconnectAsync();
      } catch {
        /* already gone */
      }
    },
  };
  const on = client.on.bind(client) as (ev: string, fn: (x: never) => void) => unknown;
  on('voiceAssistantRequest', (r: PeerRecord['requests'][number]) => {
    rec.requests.push(r);
    if (r.start && opts.autoAccept !== false) peer.accept();
  });
  on('voiceAssistantAudio', (a: { data?: Buffer; end?: boolean }) => {
    rec.audioBytes += a.data?.byteLength ?? 0;
    if (a.end) rec.audioEnd++;
  });
  on('voiceAssistantAnnounceFinished', (ok: boolean) => rec.announceFinished.push(ok));
  on('telemetry', (t: unknown) => rec.states.push(t));
  on('entities', (e: unknown[]) => rec.entities.push(...e));
  on('deviceInfo', (d: unknown) => (rec.deviceInfo = d));
  await client.connect();
  if (opts.subscribe !== false) peer.subscribe();
  return peer;
}

export { VoiceAssistantEvent };

export async function until(cond: () => boolean, ms = 3000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
