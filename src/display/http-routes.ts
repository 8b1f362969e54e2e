import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeWavBuffer } from '../../hal/base/wav.ts';
import type { LaunchCodes } from './launch-codes.ts';
import type { DisplayHistory } from './ports.ts';
import { securityHeaders, tokenMatches } from './security.ts';
import { readStatic } from './static-files.ts';

export interface HttpRoutesContext {
  /** Host headers the bridge answers to (known once it listens). */
  hostHeaders(): ReadonlySet<string>;
  token: string;
  history: DisplayHistory | undefined;
  distDir: string;
  /** One-time codes for browsers the device launches itself (no token on their command line). */
  launchCodes: LaunchCodes;
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
  if (url.pathname === '/launch') return serveLaunch(ctx, res, url.searchParams.get('code'));
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

/** A one-time launch link: redeemed once, it sends the browser on to the screen with its token. */
function serveLaunch(ctx: HttpRoutesContext, res: ServerResponse, code: string | null): void {
  const headers = securityHeaders();
  if (!ctx.launchCodes.redeem(code)) {
    res.writeHead(401, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('This launch link was already used or has expired. Open the screen URL that `tally start` printed.\n');
    return;
  }
  res.writeHead(303, { ...headers, Location: `/?token=${ctx.token}`, 'Cache-Control': 'no-store' }).end();
}
