import type { DeviceSet } from '../../hal/device-set.ts';
import type { Pcm } from '../../hal/tone-player.ts';
import { TypedEmitter } from '../../hal/base/typed-emitter.ts';
import { AttentionMachine } from './attention/machine.ts';
import type { AttentionEvent, AttentionView } from './attention/types.ts';
import type { Clock } from '../../hal/base/clock.ts';
import type { Device, DeviceEvents } from './device-types.ts';
import { FeedbackHub } from './feedback/feedback-hub.ts';
import type { IndicatorSink } from './ports/indicator-sink.ts';
import { RingIndicator } from './feedback/ring-indicator.ts';
import { tonesFor } from './feedback/tones.ts';
import { PrivacyGate } from './gate/privacy-gate.ts';
import { TransparencyLedger } from './ledger/transparency-ledger.ts';
import { endsConversation } from './intents/conversation-enders.ts';
import { MuteController } from './mute/mute-controller.ts';
import { inMuteSchedule, SCHEDULE_CHECK_MS } from './mute/mute-schedule.ts';
import { DeafnessMonitor } from './mute/deafness-monitor.ts';
import type { TimerHandle } from '../../hal/base/clock.ts';
import type { MuteStore } from './mute/mute-store.ts';
import { settingsSchema, type Settings } from './settings/schema.ts';
import type { VoiceService } from './ports/voice-service.ts';
import type { EndpointDetector, WakeDetector } from './ports/wake-detector.ts';
import type { EchoCancel, EchoCancelUnavailable } from './ports/echo-cancel.ts';
import { SelfWakeGuard } from './gate/self-wake-guard.ts';

export interface CreateDeviceOptions {
  boardName: string;
  devices: DeviceSet;
  clock: Clock;
  settings: Settings;
  voice: VoiceService;
  muteStore: MuteStore;
  wake?: WakeDetector;
  endpoint?: EndpointDetector;
  /** The echo canceller (barge-in); without it the self-wake guard deafens the wake word during playback. */
  echo?: EchoCancel;
  /** Why there is no canceller, reported once as a problem at start. */
  echoUnavailable?: EchoCancelUnavailable;
  /**
   * Test-only: `false` builds a device without the self-wake guard, to show that the
   * self-wake test fails without it (test/e2e/barge-in.test.ts). Never false in a product.
   */
  selfWakeGuard?: boolean;
}

/**
 * The device: wires board devices, attention machine, feedback, mute hardware, privacy
 * gate and voice service together. Data flows one way (design.md): inputs → machine →
 * feedback and gate; the audio pipeline never touches the ring.
 */
export class TallyDevice extends TypedEmitter<DeviceEvents> implements Device {
  readonly boardName: string;
  readonly devices: DeviceSet;
  readonly clock: Clock;
  readonly voice: VoiceService;
  readonly ledger = new TransparencyLedger();
  readonly machine: AttentionMachine;
  readonly feedback: FeedbackHub;
  readonly mute: MuteController;
  readonly gate: PrivacyGate;
  readonly wake: WakeDetector | undefined;
  readonly endpoint: EndpointDetector | undefined;
  readonly echo: EchoCancel | undefined;
  readonly selfWakeGuard: SelfWakeGuard | undefined;
  readonly #echoUnavailable: EchoCancelUnavailable | undefined;
  /** The request whose reply (or announcement) the speaker is playing now. */
  #playingReply: number | undefined;
  #settings: Settings;
  #offs: (() => void)[] = [];
  #ringIndicator: RingIndicator | undefined;
  #started = false;
  #ownerMuted: boolean;
  #scheduleTimer: TimerHandle | undefined;
  readonly #deafness: DeafnessMonitor;
  /** Requests the device answered itself: their replies are not played. */
  #droppedReplies = new Set<number>();

  constructor(opts: CreateDeviceOptions) {
    super();
    this.boardName = opts.boardName;
    this.devices = opts.devices;
    this.clock = opts.clock;
    this.voice = opts.voice;
    this.wake = opts.wake;
    this.endpoint = opts.endpoint;
    this.echo = opts.echo;
    this.#echoUnavailable = opts.echoUnavailable;
    this.selfWakeGuard = opts.wake && opts.devices.tones && opts.selfWakeGuard !== false ? new SelfWakeGuard(opts.wake, opts.devices.tones, opts.echo) : undefined;
    this.#settings = opts.settings;
    this.mute = new MuteController(opts.devices.relay, opts.devices.muteLed, opts.muteStore);
    this.#offs.push(this.mute.on('problem', (code, msg) => this.emit('problem', code, msg)));
    // Fail closed: read the persisted mute (and the schedule) before anything can open the mic.
    const { muted, problem } = this.mute.loadPersisted();
    this.#ownerMuted = muted;
    this.machine = new AttentionMachine({
      clock: opts.clock,
      settings: () => this.#settings,
      muted,
      softwareMute: this.mute.softwareOnly,
      online: false,
      hasEndpointDetector: opts.endpoint !== undefined,
      scheduled: inMuteSchedule(opts.settings.muteSchedule, opts.clock.wallNow()),
      // A corrupt / unreadable mute file starts muted AND says why (ring, screen, terminal).
      notice: problem ? { code: problem.code } : null,
    });
    this.feedback = new FeedbackHub(opts.clock);
    this.gate = new PrivacyGate({
      clock: opts.clock,
      machine: this.machine,
      mic: opts.devices.microphone,
      feedback: this.feedback,
      voice: opts.voice,
      ledger: this.ledger,
      mute: this.mute,
      settings: () => this.#settings,
      wake: opts.wake,
      endpoint: opts.endpoint,
      echo: opts.echo,
      selfWakeGuard: this.selfWakeGuard,
    });
    this.#deafness = new DeafnessMonitor({
      clock: opts.clock,
      machine: this.machine,
      mute: this.mute,
      ledger: this.ledger,
      settings: () => this.#settings,
      probe: (ms) => this.gate.probeDeafness(ms),
      onProblem: (code, msg) => this.emit('problem', code, msg),
    });
  }

  get view(): AttentionView {
    return this.machine.view;
  }

  get settings(): Settings {
    return this.#settings;
  }

  get voiceLabel(): string {
    return this.voice.label;
  }

  chime(tone: 'chime' | 'error'): void {
    void this.#playTone(tone);
  }

  send(event: AttentionEvent): void {
    this.machine.send(event);
  }

  attachIndicator(sink: IndicatorSink): () => void {
    return this.feedback.attach(sink);
  }

  dropReply(streamId: number): void {
    this.#droppedReplies.add(streamId);
    // Bounded: only recent requests can still have a reply on its way.
    if (this.#droppedReplies.size > 64) this.#droppedReplies.delete(this.#droppedReplies.values().next().value!);
  }

  updateSettings(patch: Partial<Settings>): void {
    this.#settings = settingsSchema.parse({ ...this.#settings, ...patch });
    this.gate.applySettings();
    this.devices.tones?.setVolume(this.#settings.volume);
    if (patch.nightMode !== undefined) this.machine.send({ type: 'night', on: this.#settings.nightMode });
    if (patch.muteSchedule !== undefined || patch.pushToTalk !== undefined || patch.scheduleAllowsPushToTalk !== undefined) {
      this.#checkSchedule();
      this.machine.send({ type: 'settings-changed' });
    }
  }

  /** Enters or leaves the scheduled mute by the wall clock; re-armed every SCHEDULE_CHECK_MS while running. */
  #checkSchedule(): void {
    this.machine.send({ type: 'schedule', active: inMuteSchedule(this.#settings.muteSchedule, this.clock.wallNow()) });
  }

  #armSchedule(): void {
    this.#scheduleTimer = this.clock.setTimeout(() => {
      this.#checkSchedule();
      this.#armSchedule();
    }, SCHEDULE_CHECK_MS);
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const { devices, machine, mute, voice } = this;
    devices.tones?.setVolume(this.#settings.volume);

    // Order matters: faults and the feedback renderer are hooked up before anything moves,
    // and the feedback renders each view before the gate asks for its acknowledgement.
    this.#offs.push(
      mute.on('fault', (code, message) => machine.send({ type: 'fault', code, message })),
      mute.on('fault-cleared', () => machine.send({ type: 'fault-cleared' })),
      this.feedback.on('failure', (sink, code) => {
        this.emit('problem', code, `indicator ${sink} failed`);
        if (machine.view.stream) machine.send({ type: 'indicator-failed', code });
      }),
      machine.on('change', (view, prev) => this.#onChange(view, prev)),
      machine.on('refused', () => void this.#playTone('error')),
      machine.on('confirm-expired', (what) => {
        void this.#playTone('error');
        this.emit('confirm-expired', what);
      }),
      machine.on('confirmed', (what) => this.emit('confirmed', what)),
      // The relay closed and the sense line agreed: push-to-talk may stream now.
      mute.on('applied', (relayOpen) => !relayOpen && !mute.faulted && machine.send({ type: 'mic-ready' })),
      this.gate.on('stream-closed', (s) => this.emit('stream-closed', s)),
      this.gate.on('problem', (code, msg) => this.emit('problem', code, msg)),
    );
    if (devices.ring) {
      this.#ringIndicator = new RingIndicator(devices.ring, this.clock, (err) => {
        const code = (err as { code?: string }).code ?? 'RING_FAILED';
        this.emit('problem', code, 'light ring failed');
        if (machine.view.stream) machine.send({ type: 'indicator-failed', code });
      });
      this.#offs.push(this.feedback.attach(this.#ringIndicator));
    }
    this.#wireInputs();
    this.#wireVoice();
    if (this.#echoUnavailable) this.emit('problem', this.#echoUnavailable.code, `no echo canceller, the wake word is deaf while the speaker plays: ${this.#echoUnavailable.reason}`);

    // Mute is enforced at boot before the mic opens: relay and LED first.
    await mute.apply(!machine.view.micPowered);
    this.#armSchedule();
    this.feedback.render(machine.view);
    this.gate.start();
    this.#deafness.start();
    await voice.start();
    voice.reportMute?.(machine.view.muted);
    if (voice.connected) machine.send({ type: 'service', signal: 'connected' });
    await this.gate.syncCapture();
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    this.machine.dispose();
    this.clock.clearTimeout(this.#scheduleTimer);
    this.#deafness.stop();
    await this.gate.stop();
    this.#ringIndicator?.stop();
    for (const off of this.#offs) off();
    this.#offs = [];
    this.mute.dispose();
    await this.voice.stop();
    await this.wake?.close();
    await this.endpoint?.close();
    await this.devices.close();
  }

  #onChange(view: AttentionView, prev: AttentionView): void {
    this.feedback.render(view);
    // The owner's mute survives restart; the relay follows micPowered (mute, schedule,
    // push-to-talk). The gate hears the relay settle from the mute controller ('applied').
    if (view.ownerMuted !== this.#ownerMuted) {
      this.#ownerMuted = view.ownerMuted;
      this.mute.persist(this.#ownerMuted);
    }
    if (view.micPowered !== prev.micPowered) void this.mute.apply(!view.micPowered);
    if (view.muted !== prev.muted) this.voice.reportMute?.(view.muted);
    if (view.stream && view.stream.id !== prev.stream?.id && view.stream.trigger === 'wake' && this.devices.tones?.playing) {
      this.#bargeIn();
    } else if (prev.state === 'speaking' && view.state !== 'speaking') {
      // Button stop, mute: the reply stops now.
      this.devices.tones?.stop();
    }
    for (const tone of tonesFor(prev, view, this.#settings)) void this.#playTone(tone);
    this.emit('change', view);
  }

  /**
   * The wake word over the device's own sound (a reply, a ringing timer, an announcement):
   * the sound stops at once, the service is told its run is over, and the new request
   * goes through the gate like any other (indicator first, ledger trigger `wake`).
   */
  #bargeIn(): void {
    const interrupted = this.#playingReply;
    this.devices.tones?.stop();
    if (interrupted !== undefined) {
      this.#droppedReplies.add(interrupted);
      this.voice.interrupted?.(interrupted);
    }
  }

  #wireInputs(): void {
    const { devices, machine, wake, endpoint } = this;
    if (devices.actionButton) {
      this.#offs.push(
        devices.actionButton.on('press', () => machine.send({ type: 'button-press' })),
        devices.actionButton.on('release', () => machine.send({ type: 'button-release' })),
      );
    }
    if (devices.muteButton) this.#offs.push(devices.muteButton.on('press', () => machine.send({ type: 'mute-toggle' })));
    if (wake) {
      this.#offs.push(wake.on('detection', (d) => machine.send({ type: 'wake', wakeWord: d.wakeWord, at: this.clock.now() })));
      this.#offs.push(wake.on('error', (code, msg) => this.emit('problem', code, msg)));
    }
    if (endpoint) {
      this.#offs.push(
        endpoint.on('speech-start', () => machine.send({ type: 'speech-start' })),
        endpoint.on('end-of-speech', () => machine.send({ type: 'end-of-speech' })),
      );
    }
    // Self-wake guard: the device's own sounds must not wake it (unless a converged
    // echo canceller cleans them out). Capture continues.
    if (this.selfWakeGuard) this.#offs.push(this.selfWakeGuard.start());
  }

  #wireVoice(): void {
    const { voice, machine } = this;
    this.#offs.push(
      voice.on('connected', () => machine.send({ type: 'service', signal: 'connected' })),
      voice.on('disconnected', () => machine.send({ type: 'service', signal: 'connection-lost' })),
      voice.on('processing', () => machine.send({ type: 'service', signal: 'processing' })),
      voice.on('response-start', () => machine.send({ type: 'service', signal: 'response-start' })),
      voice.on('response-end', () => machine.send({ type: 'service', signal: 'response-end' })),
      voice.on('response-audio', (id, pcm) => void this.#playReply(id, pcm)),
      voice.on('error', (code) => machine.send({ type: 'service', signal: 'error', code })),
      voice.on('follow-up-request', () => machine.send({ type: 'follow-up-request' })),
      voice.on('notification', (kind, label) => machine.send({ type: 'notification', kind, label })),
      voice.on('paused', (paused) => machine.send({ type: 'pause', paused })),
      voice.on('mute-request', (muted) => {
        // Never an unmute from the network for a hardware relay: that takes the owner's hand.
        if (muted || this.mute.softwareOnly) machine.send({ type: 'mute', muted });
        else this.emit('problem', 'REMOTE_UNMUTE_REFUSED', 'the voice service asked to unmute; a hardware mute is undone only at the device');
      }),
      voice.on('timers', (timers) =>
        machine.send({
          type: 'timers',
          timers: timers.map((t) => ({ id: t.id, name: t.name, active: t.active, endsAt: t.active ? t.endsAt : null, remainingMs: t.remainingSeconds * 1000 })),
        }),
      ),
      voice.on('transcript', (id, text) => {
        this.emit('transcript', id, text);
        // "thank you" / "stop" in a follow-up ends the conversation: its reply is not played.
        const trigger = this.ledger.entries().find((e) => e.streamId === id)?.trigger;
        if (trigger === 'follow-up' && endsConversation(text)) {
          this.dropReply(id);
          machine.send({ type: 'end-conversation' });
        }
      }),
      voice.on('response-text', (id, text) => this.emit('response-text', id, text)),
    );
  }

  async #playTone(tone: Parameters<NonNullable<DeviceSet['tones']>['play']>[0]): Promise<void> {
    try {
      await this.devices.tones?.play(tone);
    } catch (e) {
      this.emit('problem', (e as { code?: string }).code ?? 'TONE_FAILED', (e as Error).message);
    }
  }

  async #playReply(streamId: number, pcm: Pcm): Promise<void> {
    const tones = this.devices.tones;
    if (!tones || this.#droppedReplies.has(streamId)) {
      this.voice.played?.(streamId);
      return;
    }
    try {
      this.#playingReply = streamId;
      const r = await tones.play(pcm).finally(() => {
        if (this.#playingReply === streamId) this.#playingReply = undefined;
      });
      if (r.completed) this.voice.played?.(streamId);
    } catch (e) {
      this.emit('problem', (e as { code?: string }).code ?? 'REPLY_PLAYBACK_FAILED', (e as Error).message);
      this.voice.played?.(streamId);
    }
  }
}
