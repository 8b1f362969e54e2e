import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeWavBuffer } from '../../hal/base/wav.ts';
import type { DisplayHistory } from './ports.ts';
import { securityHeaders, tokenMatches } from './security.ts';
import { readStatic } from './static-files.ts';

export interface HttpRoutesContext {
  /** Host headers the bridge answers to (known once it listens). */
  hostHeaders(): ReadonlySet<string>;
  token: string;
  history: DisplayHistory | undefined;
  distDir: string;
}

const RECORDING_AUDIO = /^\/api\/recordings\/([^/]{1,128})\/audio$/;

/** The bridge's HTTP side: the built UI and, with the token, a recording's audio as WAV. */
export async function serveHttp(ctx: HttpRoutesContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = securityHeaders();
  if (!ctx.hostHeaders().has(req.headers.host ?? '')) {
    res.writeHead(421, headers).end();
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
    return;
  }
  const url = new URL(req.url ?? '/', 'http://screen');
  const audio = RECORDING_AUDIO.exec(url.pathname);
  if (audio) return serveRecordingAudio(ctx, req, res, decodeURIComponent(audio[1]!));
  const file = await readStatic(ctx.distDir, url.pathname);
  if (!file) {
    res.writeHead(404, headers).end();
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': file.type, 'Content-Length': file.body.length }).end(req.method === 'HEAD' ? undefined : file.body);
}

async function serveRecordingAudio(ctx: HttpRoutesContext, req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
  const headers = securityHeaders();
  // Not a URL parameter: a token in a URL could end up in logs; the screen sends a header.
  if (!tokenMatches(ctx.token, req.headers['x-tally-token'] as string | undefined)) {
    res.writeHead(401, headers).end();
    return;
  }
  if (!ctx.history) {
    res.writeHead(404, headers).end();
    return;
  }
  let pcm: Int16Array;
  try {
    pcm = await ctx.history.getRecordingAudio(id);
  } catch {
    res.writeHead(404, headers).end();
    return;
  }
  const body = encodeWavBuffer(pcm);
  res.writeHead(200, { ...headers, 'Content-Type': 'audio/wav', 'Content-Length': body.length }).end(req.method === 'HEAD' ? undefined : body);
}
