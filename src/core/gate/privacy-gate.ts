import type { Microphone } from '../../../hal/microphone.ts';
import { BYTES_PER_SAMPLE, msToSamples, samplesToMs } from '../../../hal/microphone.ts';
import { TypedEmitter } from '../../../hal/base/typed-emitter.ts';
import type { AttentionMachine } from '../attention/machine.ts';
import type { AttentionView, StreamEndReason } from '../attention/types.ts';
import { PreRollBuffer } from './pre-roll-buffer.ts';
import { EGRESS_FAULT, reconcileEgress } from './egress-check.ts';
import type { Clock } from '../../../hal/base/clock.ts';
import type { ClosedStream } from '../device-types.ts';
import type { FeedbackHub } from '../feedback/feedback-hub.ts';
import type { TransparencyLedger } from '../ledger/transparency-ledger.ts';
import type { LedgerEntry } from '../ledger/types.ts';
import type { MuteController } from '../mute/mute-controller.ts';
import type { Settings } from '../settings/schema.ts';
import type { VoiceService } from '../ports/voice-service.ts';
import type { VoiceStream } from '../ports/voice-stream.ts';
import type { EndpointDetector, WakeDetector } from '../ports/wake-detector.ts';
import type { EchoCancel } from '../ports/echo-cancel.ts';

/**
 * The privacy gate: the ONLY code that moves audio off the device (a test scans the
 * sources for other callers of `openStream`). It owns the microphone, the RAM-only
 * pre-roll buffer and the open stream, and enforces invariants 1–6:
 *
 * 1. a stream's first byte waits until every indicator has acknowledged the listening
 *    view (fail closed on error or timeout);
 * 2. muted / paused / faulted ⇒ mic closed, no detection, stream aborted at once, and
 *    every write re-checks it;
 * 3. streams open only when the attention machine opened one (wake, button, follow-up);
 * 4. streams end whenever the machine closes them;
 * 5. the stream starts with exactly the configured pre-roll, the buffer holds no more;
 * 6. audio captured while waiting for the indicator (and while the start tone plays)
 *    is queued and sent, never dropped.
 */
interface ActiveStream {
  id: number;
  trigger: LedgerEntry['trigger'];
  wakeWord: string | null;
  version: number;
  phase: 'awaiting-indicator' | 'open';
  /** Audio captured before the indicator was confirmed: held in RAM, sent on release. */
  pending: Int16Array[];
  sent: Int16Array[];
  sentSamples: number;
  preRollSamples: number;
  voice: VoiceStream | null;
  entry: LedgerEntry | null;
}

export interface GateEvents {
  [event: string]: unknown[];
  /** A stream's audio is now flowing (after the indicator acknowledgement). */
  released: [streamId: number];
  'stream-closed': [stream: ClosedStream];
  problem: [code: string, message: string];
}

export interface PrivacyGateDeps {
  clock: Clock;
  machine: AttentionMachine;
  mic: Microphone;
  feedback: FeedbackHub;
  voice: VoiceService;
  ledger: TransparencyLedger;
  mute: MuteController;
  settings: () => Settings;
  wake?: WakeDetector | undefined;
  endpoint?: EndpointDetector | undefined;
  /** Removes the device's own playback from every frame before the wake word hears it. */
  echo?: EchoCancel | undefined;
  /** Re-checked after each frame went through the canceller (it may just have converged). */
  selfWakeGuard?: { update(): void } | undefined;
}

const ABORT_REASONS = new Set<StreamEndReason>(['mute', 'paused', 'fault', 'indicator-failed', 'button-stop', 'shutdown', 'service-lost', 'service-error', 'barge-in']);

export class PrivacyGate extends TypedEmitter<GateEvents> {
  readonly #d: PrivacyGateDeps;
  readonly #preRoll: PreRollBuffer;
  #stream: ActiveStream | null = null;
  #capturing = false;
  #captureOp: Promise<void> = Promise.resolve();
  #offs: (() => void)[] = [];
  #stopped = false;
  #probing = false;
  /** Ends a running probe's window early (stop, or capture becoming allowed). */
  #endProbe: (() => void) | undefined;

  constructor(deps: PrivacyGateDeps) {
    super();
    this.#d = deps;
    this.#preRoll = new PreRollBuffer(msToSamples(deps.settings().preRollMs));
  }

  /** Samples the pre-roll buffer holds now (≤ its capacity: invariant 5). */
  get heldSamples(): number {
    return this.#preRoll.length + (this.#stream?.pending.reduce((n, p) => n + p.length, 0) ?? 0);
  }

  get preRollCapacity(): number {
    return this.#preRoll.capacity;
  }

  get activeStreamId(): number | null {
    return this.#stream?.id ?? null;
  }

  get streamPhase(): ActiveStream['phase'] | null {
    return this.#stream?.phase ?? null;
  }

  /** A deafness probe has the mic open (its frames go to the probe only). */
  get probing(): boolean {
    return this.#probing;
  }

  /**
   * Proof of deafness (build 2): while the mic may NOT capture (relay open), opens the
   * capture device for `windowMs` and looks at what it delivers — frames go to this probe
   * only, never to the pre-roll, the wake word or a stream. `absent`: it would not open or
   * gave nothing; `silent`: digital silence / noise floor; `live`: a real signal arrived
   * while the relay was open. Serialised with capture changes; `skipped` when capture is
   * allowed (nothing to prove).
   */
  probeDeafness(windowMs: number): Promise<DeafnessVerdict> {
    const run = this.#captureOp.then(() => this.#probe(windowMs));
    this.#captureOp = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #probe(windowMs: number): Promise<DeafnessVerdict> {
    const { mic, clock, mute } = this.#d;
    if (this.#stopped || this.#captureAllowed(this.#d.machine.view) || mic.isOpen) return 'skipped';
    let frames = 0;
    let livePeak = 0;
    const off = mic.on('frame', (f) => {
      frames++;
      // Only what arrives while the relay is commanded open counts against the mute.
      if (!mute.micPowerCommanded) livePeak = Math.max(livePeak, peakOf(f));
    });
    this.#probing = true;
    try {
      await mic.open();
    } catch {
      off();
      this.#probing = false;
      return 'absent';
    }
    let cut = false;
    await new Promise<void>((r) => {
      const t = clock.setTimeout(r, windowMs);
      this.#endProbe = () => {
        cut = true;
        clock.clearTimeout(t);
        r();
      };
    });
    this.#endProbe = undefined;
    await mic.close();
    off(); // after close: no frame of the probe escapes its count
    this.#probing = false;
    if (livePeak > NOISE_FLOOR) return 'live';
    if (cut) return 'skipped';
    return frames === 0 ? 'absent' : 'silent';
  }

  start(): void {
    const { machine, mic } = this.#d;
    this.#offs.push(
      machine.on('change', (view) => this.#onView(view)),
      // The relay finished moving: the mic may open (unmute) or must stay closed.
      this.#d.mute.on('applied', () => void this.syncCapture()),
      mic.on('frame', (samples) => this.#onFrame(samples)),
      mic.on('error', (err) => this.emit('problem', err.code, err.message)),
      mic.on('closed', () => {
        this.#capturing = false;
      }),
    );
    this.#onView(machine.view);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#endProbe?.();
    if (this.#stream) this.#finish('shutdown');
    for (const off of this.#offs) off();
    this.#offs = [];
    await this.#setCapture(false);
  }

  /** Settings changed: resize the pre-roll buffer (never larger than configured). */
  applySettings(): void {
    this.#preRoll.resize(msToSamples(this.#d.settings().preRollMs));
  }

  /** Re-evaluates whether the mic may be open (e.g. after the relay finished moving). */
  syncCapture(): Promise<void> {
    return this.#setCapture(this.#captureAllowed(this.#d.machine.view));
  }

  // ---- state -------------------------------------------------------------------------

  #captureAllowed(view: AttentionView): boolean {
    return !this.#stopped && !view.muted && view.micPowered && !view.paused && view.fault === null && this.#d.mute.micPowerCommanded && !this.#d.mute.faulted;
  }

  #onView(view: AttentionView): void {
    // Close first, synchronously: a mute press stops the audio in this very tick.
    if (this.#stream && view.stream?.id !== this.#stream.id) {
      this.#finish(view.lastStreamEnd?.id === this.#stream.id ? view.lastStreamEnd.reason : 'shutdown');
    }
    if (!this.#captureAllowed(view)) {
      void this.#setCapture(false);
      this.#preRoll.clear();
      this.#d.wake?.reset();
    } else {
      // Push-to-talk turns the wake word off: what the detector heard before must not fire later.
      if (view.pushToTalk) this.#d.wake?.reset();
      // Capture is allowed again (unmute, button held): a probe gives the mic back at once.
      this.#endProbe?.();
      void this.#setCapture(true);
    }
    if (view.stream && !this.#stream && this.#captureAllowed(view)) this.#begin(view);
  }

  #setCapture(on: boolean): Promise<void> {
    this.#captureOp = this.#captureOp.then(async () => {
      const { mic } = this.#d;
      if (on && !mic.isOpen && this.#captureAllowed(this.#d.machine.view)) {
        try {
          await mic.open();
          this.#capturing = true;
        } catch (e) {
          this.emit('problem', (e as { code?: string }).code ?? 'MIC_OPEN_FAILED', (e as Error).message);
        }
      } else if (!on && mic.isOpen) {
        this.#capturing = false;
        await mic.close();
      }
    });
    return this.#captureOp;
  }

  #onFrame(samples: Int16Array): void {
    const view = this.#d.machine.view;
    // Defence in depth: a driver that keeps delivering after close, or while muted, is ignored.
    if (!this.#capturing || !this.#captureAllowed(view)) return;
    // The wake word and the end-of-speech detector always hear the echo-cancelled signal;
    // the voice service does when the owner's setting says so.
    const cleaned = this.#d.echo ? this.#d.echo.process(samples) : samples;
    const outgoing = this.#d.settings().echoCancelStream ? cleaned : samples;
    this.#d.selfWakeGuard?.update();
    this.#preRoll.push(outgoing);
    // Push-to-talk: the wake word is off; detection never hears the audio.
    if (!view.pushToTalk) this.#d.wake?.push(cleaned);
    const s = this.#stream;
    if (!s) return;
    if (s.phase === 'awaiting-indicator') s.pending.push(outgoing.slice());
    else this.#send(s, outgoing);
    this.#d.endpoint?.push(cleaned);
  }

  // ---- streams -----------------------------------------------------------------------

  #begin(view: AttentionView): void {
    const info = view.stream!;
    const preRoll = this.#preRoll.snapshot();
    const s: ActiveStream = {
      id: info.id,
      trigger: info.trigger,
      wakeWord: info.wakeWord ?? null,
      version: view.version,
      phase: 'awaiting-indicator',
      pending: preRoll.length ? [preRoll] : [],
      sent: [],
      sentSamples: 0,
      preRollSamples: preRoll.length,
      voice: null,
      entry: null,
    };
    this.#stream = s;
    this.#d.endpoint?.reset();
    this.#d.feedback.whenAcknowledged(view.version, this.#d.settings().indicatorAckBudgetMs).then(
      () => this.#release(s),
      (err: { code?: string }) => {
        if (this.#stream !== s) return;
        this.emit('problem', err.code ?? 'INDICATOR_FAILED', 'listening indicator not confirmed: stream refused');
        this.#d.machine.send({ type: 'indicator-failed', code: err.code ?? 'INDICATOR_FAILED' });
      },
    );
  }

  #release(s: ActiveStream): void {
    if (this.#stream !== s || s.phase !== 'awaiting-indicator') return;
    const view = this.#d.machine.view;
    if (view.stream?.id !== s.id || !this.#captureAllowed(view)) return;
    const { clock, voice, ledger } = this.#d;
    try {
      s.voice = voice.openStream({
        streamId: s.id,
        trigger: s.trigger,
        preRollMs: samplesToMs(s.preRollSamples),
        ...(s.wakeWord ? { wakeWord: s.wakeWord } : {}),
      });
    } catch (e) {
      this.emit('problem', (e as { code?: string }).code ?? 'VOICE_STREAM_FAILED', (e as Error).message);
      this.#d.machine.send({ type: 'service', signal: 'error', code: 'VOICE_STREAM_FAILED' });
      return;
    }
    s.entry = ledger.open({
      streamId: s.id,
      startedAt: clock.wallNow(),
      trigger: s.trigger,
      wakeWord: s.wakeWord,
      preRollMs: samplesToMs(s.preRollSamples),
      destination: voice.destination,
      deviceId: this.#d.settings().deviceId,
    });
    s.phase = 'open';
    this.emit('released', s.id);
    const pending = s.pending;
    s.pending = [];
    for (const chunk of pending) {
      if (this.#stream !== s) return;
      this.#send(s, chunk);
    }
  }

  #send(s: ActiveStream, samples: Int16Array): void {
    const view = this.#d.machine.view;
    // Every byte re-checks the absolute conditions, whatever the machine did.
    if (view.muted || view.paused || view.fault || !this.#d.mute.micPowerCommanded || view.stream?.id !== s.id) {
      this.emit('problem', 'GATE_REFUSED', 'audio refused: stream no longer allowed');
      this.#finish(view.muted ? 'mute' : view.fault ? 'fault' : 'shutdown');
      return;
    }
    // Counted before the write: the service may react inside write() (close the stream),
    // and the ledger must still include every byte that left.
    s.sent.push(samples);
    s.sentSamples += samples.length;
    s.voice!.write(samples);
    this.#crossCheck(s);
  }

  /** Egress cross-check after every write: the socket's count must match ours (egress-check.ts). */
  #crossCheck(s: ActiveStream): boolean {
    const handed = s.sentSamples * BYTES_PER_SAMPLE;
    const egress = s.voice!.egress;
    const verdict = reconcileEgress(handed, egress);
    if (verdict === 'ok') return true;
    const message = `the gate released ${handed} bytes but the connection wrote ${egress.bytes}: streaming stopped until restart`;
    this.emit('problem', EGRESS_FAULT, message);
    // Latched: only a restart clears it. The fault closes this stream (and #finish runs).
    this.#d.machine.send({ type: 'fault', code: EGRESS_FAULT, message, latched: true });
    return false;
  }

  #finish(reason: StreamEndReason): void {
    const s = this.#stream;
    if (!s) return;
    this.#stream = null;
    s.pending = []; // audio never released is dropped from RAM, it never left
    if (!s.voice || !s.entry) return;
    if (ABORT_REASONS.has(reason)) s.voice.abort(reason);
    else s.voice.end(reason);
    const audio = concat(s.sent, s.sentSamples);
    // What left, as the socket counted it (equal to ours unless the transport stopped early or faulted).
    const egress = s.voice.egress.bytes;
    this.#d.ledger.close(s.entry, {
      endedAt: this.#d.clock.wallNow(),
      endReason: reason,
      audioBytes: egress,
    });
    this.emit('stream-closed', { entry: { ...s.entry }, audio });
  }
}

/** Digital silence / an unpowered ADC's noise floor: |sample| at or below this (≈ −54 dBFS). */
export const NOISE_FLOOR = 64;
export type DeafnessVerdict = 'absent' | 'silent' | 'live' | 'skipped';

function peakOf(f: Int16Array): number {
  let peak = 0;
  for (const x of f) peak = Math.max(peak, Math.abs(x));
  return peak;
}

function concat(chunks: Int16Array[], total: number): Int16Array {
  const out = new Int16Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
