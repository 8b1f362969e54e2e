import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Pcm } from '../../../hal/tone-player.ts';
import { decodeWav, floatToInt16 } from '../../../hal/base/wav.ts';
import { TallyError } from '../../../hal/base/errors.ts';

/**
 * Fetches a reply or announcement from the URL Home Assistant gives, but only from the
 * paired HA's own host: a URL whose host does not resolve to the address HA connected
 * from is refused (ESPHOME_TTS_FOREIGN_HOST) before any request is made. Size- and
 * time-capped; only WAV is accepted (the media player entity asks HA for 16 kHz mono WAV).
 */
export interface FetchLimits {
  maxBytes: number;
  timeoutMs: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = { maxBytes: 16 * 1024 * 1024, timeoutMs: 15_000 };

export function normalizeHost(host: string): string {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h.startsWith('::ffff:') && isIP(h.slice(7)) === 4 ? h.slice(7) : h;
}

/** True when `url`'s host is (or resolves to) `pairedHost`. */
export async function urlIsOnHost(url: URL, pairedHost: string): Promise<boolean> {
  const want = normalizeHost(pairedHost);
  const host = normalizeHost(url.hostname);
  if (isIP(host)) return host === want;
  try {
    const addrs = await lookup(host, { all: true });
    return addrs.some((a) => normalizeHost(a.address) === want);
  } catch {
    return false;
  }
}

export async function fetchReply(urlText: string, pairedHost: string, limits: FetchLimits = DEFAULT_FETCH_LIMITS): Promise<Pcm> {
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    throw new TallyError('ESPHOME_TTS_BAD_URL', 'Home Assistant sent an invalid media URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TallyError('ESPHOME_TTS_BAD_URL', `media URL scheme ${url.protocol} refused`);
  if (!(await urlIsOnHost(url, pairedHost))) {
    throw new TallyError('ESPHOME_TTS_FOREIGN_HOST', `media URL host ${url.hostname} is not the paired Home Assistant (${pairedHost})`);
  }
  const body = await download(url, limits);
  const wav = decodeWav(body, 'reply audio');
  if (wav.channels !== 1 && wav.channels !== 2) throw new TallyError('ESPHOME_TTS_FORMAT', `reply audio has ${wav.channels} channels`);
  return { sampleRate: wav.sampleRate, channels: wav.channels, samples: floatToInt16(wav.samples) };
}

async function download(url: URL, limits: FetchLimits): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(limits.timeoutMs) });
  } catch (cause) {
    throw new TallyError('ESPHOME_TTS_FETCH_FAILED', `cannot fetch reply audio from ${url.host}`, { cause });
  }
  if (!res.ok || !res.body) throw new TallyError('ESPHOME_TTS_FETCH_FAILED', `reply audio fetch from ${url.host} answered ${res.status}`);
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > limits.maxBytes) throw new TallyError('ESPHOME_TTS_TOO_LARGE', `reply audio exceeds ${limits.maxBytes} bytes`);
    parts.push(chunk);
  }
  return new Uint8Array(Buffer.concat(parts));
}
