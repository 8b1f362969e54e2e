import type { MessageInitShape } from '@bufbuild/protobuf';
import type { Pcm } from '../../../hal/tone-player.ts';
import { TypedEmitter } from '../../../hal/base/typed-emitter.ts';
import { SystemClock, type Clock } from '../../../hal/base/clock.ts';
import { TallyError } from '../../../hal/base/errors.ts';
import type { VoiceService, VoiceServiceEvents } from '../../core/ports/voice-service.ts';
import type { VoiceStream, VoiceStreamInfo } from '../../core/ports/voice-stream.ts';
import { SatelliteTimers } from '../wyoming/timers.ts';
import { ApiServer, ESPHOME_DEFAULT_PORT } from './api-server.ts';
import type { ConnectionLimits, LogLine } from './api-connection.ts';
import type { ApiSession, SessionHandler } from './api-session.ts';
import { compactMac, type DeviceIdentity } from './device-identity.ts';
import { entityStates, listEntities, mediaPlayerCommand, numberCommand, switchCommand } from './entities.ts';
import {
  VoiceAssistantAnnounceFinishedSchema, VoiceAssistantConfigurationResponseSchema, VoiceAssistantRequestSchema, type DeviceInfoResponseSchema,
  type MediaPlayerCommandRequest, type NumberCommandRequest, type SubscribeVoiceAssistantRequest, type SwitchCommandRequest,
  type VoiceAssistantAnnounceRequest, type VoiceAssistantEventResponse, type VoiceAssistantResponse, type VoiceAssistantSetConfiguration,
  type VoiceAssistantTimerEventResponse,
} from './generated/api_pb.ts';
import type { DecodedMessage } from './message-registry.ts';
import { EsphomeMicStream } from './mic-stream.ts';
import { pipelineStep } from './pipeline-events.ts';
import { ReplyPlayer } from './reply-player.ts';
import type { SatelliteControls } from './satellite-controls.ts';
import { applyTimerEvent } from './timer-events.ts';
import { fetchReply } from './tts-fetch.ts';
import { VoiceOwner } from './voice-owner.ts';
import { advertTxt, bonjourEsphomePublisher, type EsphomeAdvert, type EsphomeZeroconfPublisher } from './zeroconf.ts';

/** Voice PE's flags minus SPEAKER: VOICE_ASSISTANT | API_AUDIO | TIMERS | ANNOUNCE | START_CONVERSATION (TTS by URL). */
export const VOICE_FEATURE_FLAGS = 1 | 4 | 8 | 16 | 32;
export const ANNOUNCEMENT_LABEL = 'Announcement';
export const TIMER_LABEL = 'Timer';
const RESPONSE_TIMEOUT_MS = 5000;

export interface EsphomeSatelliteOptions {
  identity: DeviceIdentity;
  /** 32-byte Noise key; null only with `--esphome-plaintext`. */
  psk: Uint8Array | null;
  controls: SatelliteControls;
  port?: number;
  host?: string;
  clock?: Clock;
  /** Codes and addresses only: never transcripts or audio. */
  log?: LogLine;
  maxStreamMs?: number;
  limits?: Partial<ConnectionLimits>;
  /** false disables mDNS (tests); a function replaces bonjour-service. */
  zeroconf?: boolean | EsphomeZeroconfPublisher;
  /** Replaces the HTTP fetch of reply audio (tests); gets the URL and the owner's host. */
  fetchReply?: (url: string, ownerHost: string) => Promise<Pcm>;
}

interface ActiveRequest {
  id: number;
  mic: EsphomeMicStream;
  owner: ApiSession;
  cancelled: boolean;
  errored: boolean;
  continueConversation: boolean;
  replied: boolean;
  /** HA answered this request; events before that still belong to the previous run. */
  accepted: boolean;
  responseTimer: ReturnType<Clock['setTimeout']> | undefined;
}

/**
 * Tally as a Home Assistant Assist satellite over the ESPHome native API (spec: ESPHome
 * api for a voice satellite). Encrypted by default: on a Noise port nothing reaches this
 * class before the client proved the key. Voice belongs to the first subscriber
 * (VoiceOwner) and never moves while it stays connected. Mic audio goes only to that
 * owner, only through `openStream` (which only the privacy gate calls), only after HA
 * accepted the request; replies are fetched only from the owner's host.
 */
export class EsphomeSatellite extends TypedEmitter<VoiceServiceEvents> implements VoiceService {
  readonly label = 'Home Assistant (ESPHome)';
  readonly server: ApiServer;
  private readonly clock: Clock;
  private readonly log: LogLine;
  private readonly owner: VoiceOwner;
  private readonly replies: ReplyPlayer;
  private readonly timers: SatelliteTimers;
  private request: ActiveRequest | null = null;
  private conversationId: string | null = null;
  private nextAnnouncementId = -1;
  private advert: EsphomeAdvert | null = null;
  private offControls: (() => void) | null = null;
  /** Replies that owe HA a VoiceAssistantAnnounceFinished (TTS and announcements, not media_url plays). */
  private readonly owesFinished = new Map<number, { startConversation: boolean }>();

  constructor(private opts: EsphomeSatelliteOptions) {
    super();
    this.clock = opts.clock ?? new SystemClock();
    this.log = opts.log ?? (() => {});
    this.owner = new VoiceOwner(
      this.log,
      { gained: () => this.emit('connected'), lost: (code) => this.onOwnerLost(code) },
      opts.psk !== null,
    );
    const fetcher = opts.fetchReply ?? fetchReply;
    this.replies = new ReplyPlayer(this.clock, (url) => fetcher(url, this.owner.current?.peerHost ?? this.owner.lastHost ?? ''), {
      start: (id) => this.emit('response-start', id),
      audio: (id, pcm) => this.emit('response-audio', id, pcm),
      end: (id) => this.emit('response-end', id),
      error: (code, id) => this.emit('error', code, id),
      finished: (id, success, followUp) => this.onReplyFinished(id, success, followUp),
    });
    this.timers = new SatelliteTimers(
      this.clock,
      (t) => this.emit('notification', 'timer', t.name ?? TIMER_LABEL),
      () => this.emit('timers', this.timers.list()),
    );
    this.server = new ApiServer(
      { identity: opts.identity, psk: opts.psk, port: opts.port ?? ESPHOME_DEFAULT_PORT, log: this.log, ...(opts.host ? { host: opts.host } : {}), ...(opts.limits ? { limits: opts.limits } : {}) },
      this.sessionHandler(),
    );
  }

  get destination(): string {
    return `esphome://homeassistant@${this.owner.current?.peerHost ?? this.owner.lastHost ?? 'unpaired'}`;
  }

  get connected(): boolean {
    return this.owner.current !== null;
  }

  get port(): number {
    return this.server.port;
  }

  get encrypted(): boolean {
    return this.server.encrypted;
  }

  /** The open request's mic stream (tests, bench). */
  get activeMic(): EsphomeMicStream | null {
    return this.request?.mic ?? null;
  }

  /** The device binds its own controls once it exists (it is built after its voice service). */
  useControls(controls: SatelliteControls): void {
    this.offControls?.();
    this.opts.controls = controls;
    if (this.server.port) this.offControls = controls.onChange(() => this.broadcastStates());
    this.broadcastStates();
  }

  async start(): Promise<void> {
    await this.server.start();
    this.offControls = this.opts.controls.onChange(() => this.broadcastStates());
    this.log(`esphome: listening on port ${this.server.port} (${this.encrypted ? 'Noise encrypted' : 'PLAINTEXT'})`);
    const zc = this.opts.zeroconf ?? true;
    if (zc === false) return;
    const publish = typeof zc === 'function' ? zc : bonjourEsphomePublisher;
    const { identity } = this.opts;
    const txt = advertTxt({ friendlyName: identity.friendlyName, macCompact: compactMac(identity.mac), version: identity.version, encrypted: this.encrypted });
    publish({ name: identity.name, port: this.server.port, txt, log: this.log })
      .then((a) => (this.advert = a))
      .catch((e: unknown) => this.log(`esphome ESPHOME_ZEROCONF_FAILED: ${(e as Error)?.message ?? String(e)}`));
  }

  async stop(): Promise<void> {
    this.offControls?.();
    this.timers.clear();
    this.replies.reset();
    await this.advert?.stop().catch(() => {});
    this.advert = null;
    await this.server.stop();
  }

  openStream(info: VoiceStreamInfo): VoiceStream {
    const owner = this.owner.current;
    if (!owner) throw new TallyError('ESPHOME_NOT_CONNECTED', 'no Home Assistant has subscribed to this voice assistant');
    this.endRequest(true);
    const mic = new EsphomeMicStream(owner, info.streamId, this.opts.maxStreamMs ?? 30_000, () => {
      this.log(`esphome: stream ${info.streamId} hit the stream cap (ESPHOME_STREAM_CAPPED)`);
      this.emit('error', 'ESPHOME_STREAM_CAPPED', info.streamId);
    }, () => this.clock.now());
    const req: ActiveRequest = {
      id: info.streamId, mic, owner, cancelled: false, errored: false, continueConversation: false, replied: false, accepted: false, responseTimer: undefined,
    };
    req.responseTimer = this.clock.setTimeout(() => this.onNoResponse(req), RESPONSE_TIMEOUT_MS);
    this.request = req;
    owner.conn.send(VoiceAssistantRequestSchema, {
      start: true,
      wakeWordPhrase: info.trigger === 'wake' ? this.wakePhrase(info.wakeWord) : '',
      conversationId: info.trigger === 'follow-up' ? (this.conversationId ?? '') : '',
    });
    return {
      get egress() {
        return mic.egress;
      },
      write: (s) => mic.write(s),
      end: (r) => mic.end(r),
      abort: (r) => {
        req.cancelled = true;
        mic.abort(r);
      },
    };
  }

  /** Barge-in: HA hears that the reply ended (AnnounceFinished), with no follow-up. */
  interrupted(streamId: number): void {
    this.replies.interrupted(streamId);
  }

  played(streamId: number): void {
    this.replies.played(streamId);
  }

  // ── API sessions ───────────────────────────────────────────────────────────

  private sessionHandler(): SessionHandler {
    return {
      deviceInfo: () => this.deviceInfo(),
      entities: () => listEntities(this.opts.controls),
      states: () => entityStates(this.opts.controls, this.replies.playing),
      message: (s, m) => this.onMessage(s, m),
      closed: (s, code) => this.owner.closed(s, code),
    };
  }

  private deviceInfo(): MessageInitShape<typeof DeviceInfoResponseSchema> {
    const { identity } = this.opts;
    return {
      name: identity.name, friendlyName: identity.friendlyName, macAddress: identity.mac, esphomeVersion: identity.version, model: 'Tally',
      manufacturer: 'Tally', projectName: 'Tally.Tally', projectVersion: identity.version, voiceAssistantFeatureFlags: VOICE_FEATURE_FLAGS,
      apiEncryptionSupported: this.encrypted,
    };
  }

  private broadcastStates(): void {
    for (const s of entityStates(this.opts.controls, this.replies.playing)) this.server.broadcastState(s);
  }

  private onMessage(s: ApiSession, m: DecodedMessage): void {
    if (m.name === 'SubscribeVoiceAssistantRequest') {
      this.owner.subscribe(s, (m.message as SubscribeVoiceAssistantRequest).subscribe);
      return;
    }
    if (this.onEntityCommand(s, m)) return;
    if (this.owner.current !== s) return; // voice messages count only from the owner
    switch (m.name) {
      case 'VoiceAssistantResponse':
        return this.onResponse(m.message as VoiceAssistantResponse);
      case 'VoiceAssistantEventResponse':
        return this.onEvent(m.message as VoiceAssistantEventResponse);
      case 'VoiceAssistantTimerEventResponse': {
        const rang = applyTimerEvent(this.timers, m.message as VoiceAssistantTimerEventResponse);
        if (rang) this.emit('notification', 'timer', rang.name ?? TIMER_LABEL);
        return;
      }
      case 'VoiceAssistantAnnounceRequest':
        return this.onAnnounce(m.message as VoiceAssistantAnnounceRequest);
      case 'VoiceAssistantConfigurationRequest':
        return this.sendConfiguration(s);
      case 'VoiceAssistantSetConfiguration':
        this.opts.controls.setActiveWakeWords((m.message as VoiceAssistantSetConfiguration).activeWakeWords.slice(0, 16));
        return;
      default:
        return; // HA→device audio (SPEAKER only), GetTime, …: not used
    }
  }

  /** Entity commands: from the owner, or from any client that proved the key. */
  private onEntityCommand(s: ApiSession, m: DecodedMessage): boolean {
    const isCommand = m.name === 'SwitchCommandRequest' || m.name === 'NumberCommandRequest' || m.name === 'MediaPlayerCommandRequest';
    if (!isCommand) return false;
    if (!this.encrypted && this.owner.current !== s) return true;
    const c = this.opts.controls;
    if (m.name === 'SwitchCommandRequest') switchCommand(c, m.message as SwitchCommandRequest);
    else if (m.name === 'NumberCommandRequest') numberCommand(c, m.message as NumberCommandRequest);
    else this.onMediaPlayer(m.message as MediaPlayerCommandRequest);
    this.broadcastStates(); // a refused "unmute" must snap back in HA's UI
    return true;
  }

  private onMediaPlayer(cmd: MediaPlayerCommandRequest): void {
    mediaPlayerCommand(this.opts.controls, cmd, () => this.replies.reset());
    if (cmd.hasMediaUrl && cmd.mediaUrl && this.owner.current) {
      const id = this.nextAnnouncementId--;
      this.emit('notification', 'announcement', ANNOUNCEMENT_LABEL);
      void this.replies.play(id, [cmd.mediaUrl], false);
    }
  }

  private sendConfiguration(s: ApiSession): void {
    const w = this.opts.controls.wakeWords();
    s.conn.send(VoiceAssistantConfigurationResponseSchema, {
      availableWakeWords: w.available.map((a) => ({ id: a.id, wakeWord: a.label, trainedLanguages: ['en'] })),
      activeWakeWords: w.active,
      maxActiveWakeWords: w.maxActive,
    });
  }

  // ── pipeline ───────────────────────────────────────────────────────────────

  private onResponse(res: VoiceAssistantResponse): void {
    const req = this.request;
    if (!req) return;
    this.clock.clearTimeout(req.responseTimer);
    if (res.error) return this.failRequest(req, 'ESPHOME_PIPELINE_REFUSED');
    if (res.port !== 0) {
      // UDP audio is for devices without API_AUDIO; we never offered that.
      req.owner.conn.send(VoiceAssistantRequestSchema, { start: false });
      return this.failRequest(req, 'ESPHOME_UDP_AUDIO_UNSUPPORTED');
    }
    req.accepted = true;
    req.mic.accept();
  }

  private onNoResponse(req: ActiveRequest): void {
    if (this.request !== req || req.mic.open === false) return;
    this.failRequest(req, 'ESPHOME_NO_RESPONSE');
  }

  private failRequest(req: ActiveRequest, code: string): void {
    this.clock.clearTimeout(req.responseTimer);
    req.mic.close();
    req.errored = true;
    if (this.request === req) this.request = null;
    this.emit('error', code, req.id);
  }

  private onEvent(ev: VoiceAssistantEventResponse): void {
    const req = this.request;
    const step = pipelineStep(ev);
    // No run id on the wire: until HA answers this request, events are the previous run's tail.
    if (!req || !req.accepted) return;
    switch (step.kind) {
      case 'stop-audio':
        req.mic.close();
        if (!req.cancelled) this.emit('processing', req.id);
        return;
      case 'transcript':
        req.mic.close();
        if (req.cancelled) return;
        this.emit('transcript', req.id, step.text);
        this.emit('processing', req.id);
        return;
      case 'intent-end':
        if (step.conversationId) this.conversationId = step.conversationId;
        req.continueConversation ||= step.continueConversation;
        return;
      case 'tts-text':
        if (!req.cancelled && step.text) this.emit('response-text', req.id, step.text);
        return;
      case 'tts-url':
        return this.onTtsUrl(req, step.url);
      case 'error':
        req.mic.close();
        req.errored = true;
        this.emit('error', step.code, req.id);
        return;
      case 'run-end':
        return this.onRunEnd(req);
      default:
        return;
    }
  }

  private onTtsUrl(req: ActiveRequest, url: string): void {
    req.replied = true;
    req.mic.close();
    if (req.cancelled) {
      req.owner.conn.send(VoiceAssistantAnnounceFinishedSchema, { success: false });
      return;
    }
    this.owesFinished.set(req.id, { startConversation: false });
    void this.replies.play(req.id, [url], req.continueConversation);
  }

  private onRunEnd(req: ActiveRequest): void {
    this.clock.clearTimeout(req.responseTimer);
    req.mic.close();
    if (this.request === req) this.request = null;
    if (req.replied) return;
    // No TTS: tell HA we are done (as Voice PE does) and leave "thinking".
    req.owner.conn.send(VoiceAssistantAnnounceFinishedSchema, { success: false });
    if (!req.errored && !req.cancelled) this.emit('response-end', req.id);
  }

  private onAnnounce(a: VoiceAssistantAnnounceRequest): void {
    const id = this.nextAnnouncementId--;
    const urls = [a.preannounceMediaId, a.mediaId].filter((u) => u.length > 0);
    if (!urls.length) {
      this.owner.current?.conn.send(VoiceAssistantAnnounceFinishedSchema, { success: false });
      return;
    }
    this.owesFinished.set(id, { startConversation: a.startConversation });
    this.emit('notification', 'announcement', ANNOUNCEMENT_LABEL);
    void this.replies.play(id, urls, false);
  }

  private onReplyFinished(id: number, success: boolean, followUp: boolean): void {
    const owed = this.owesFinished.get(id);
    this.owesFinished.delete(id);
    if (owed) this.owner.current?.conn.send(VoiceAssistantAnnounceFinishedSchema, { success });
    // Continue-conversation / start-conversation are requests only: the attention machine
    // opens a follow-up window only right after a reply, with follow-up mode on, never muted.
    if (success && (followUp || owed?.startConversation)) this.emit('follow-up-request');
  }

  private onOwnerLost(code: string): void {
    this.endRequest(false);
    this.replies.reset();
    this.owesFinished.clear();
    this.emit('disconnected', code);
  }

  private endRequest(abort: boolean): void {
    const req = this.request;
    if (!req) return;
    this.clock.clearTimeout(req.responseTimer);
    if (abort && req.mic.open) req.mic.abort('replaced');
    req.mic.close();
    this.request = null;
  }

  private wakePhrase(wakeWord: string | undefined): string {
    const w = this.opts.controls.wakeWords().available;
    const hit = w.find((x) => x.id === wakeWord) ?? w[0];
    return hit?.label ?? wakeWord ?? '';
  }
}
