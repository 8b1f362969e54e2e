import type { AttentionView } from '../../src/core/attention/types.ts';
import type { RingFrame } from '../../hal/light-ring.ts';
import type { SimHarness } from '../support/sim-device.ts';

/**
 * Watches one simulated device and checks design.md's invariants 1–6 against what the
 * simulated hardware and the simulated voice service actually saw. Attach it right
 * after the device is created; call `check()` after every step.
 */
export class InvariantViolation extends Error {}

function fail(msg: string): never {
  throw new InvariantViolation(msg);
}

/** The listening indicator: every pixel blue (r = 0, blue dominant and lit). */
export function showsListening(frame: RingFrame): boolean {
  return frame.length > 0 && frame.every(([r, g, b]) => r === 0 && b > 0 && b >= g);
}

interface StreamWatch {
  id: number;
  trigger: string;
  preRoll: Int16Array;
  after: Int16Array[];
  open: boolean;
}

export class InvariantChecker {
  readonly #h: SimHarness;
  /** Newest captured audio since the mic last opened (bounded to 1 s). */
  #tail = new Int16Array(0);
  #streams = new Map<number, StreamWatch>();
  #openedThisStep: { id: number; trigger: string }[] = [];
  #offs: (() => void)[] = [];
  #mutedSince: number | null = null;
  /** Samples the gate handed to each voice stream (the gate side of the egress cross-check). */
  #handed = new Map<number, number>();
  /** A deafness probe saw a live signal while the relay was open. */
  #liveWhileProbing = false;
  /** The pre-roll (samples) the gate was configured with when the checker last looked. */
  #preRollCap: number;

  constructor(h: SimHarness) {
    this.#h = h;
    this.#preRollCap = preRollSamples(h.device.settings.preRollMs);
    const rec = h.sim.recorder;
    const voice = h.voice;
    // Record every voice-service open and chunk on the board's timeline.
    const open = voice.openStream.bind(voice);
    voice.openStream = (info) => {
      rec.record('voice', 'open', info.streamId);
      const stream = open(info);
      this.#handed.set(info.streamId, 0);
      return {
        get egress() {
          return stream.egress;
        },
        write: (s) => {
          rec.record('voice', 'chunk', { id: info.streamId, n: s.length });
          this.#handed.set(info.streamId, (this.#handed.get(info.streamId) ?? 0) + s.length);
          stream.write(s);
        },
        end: (r) => stream.end(r),
        abort: (r) => stream.abort(r),
      };
    };
    this.#offs.push(
      h.sim.microphone.on('frame', (f) => this.#onFrame(f)),
      // The gate forgets its pre-roll whenever capture stops (mute, fault, pause).
      h.sim.microphone.on('closed', () => (this.#tail = new Int16Array(0))),
      h.device.on('change', (v) => this.#onChange(v)),
    );
    if (h.device.view.muted) this.#mutedSince = rec.record('test', 'muted');
  }

  dispose(): void {
    for (const off of this.#offs) off();
  }

  beginStep(): void {
    this.#openedThisStep = [];
  }

  /** Streams the machine opened during the current step. */
  get openedThisStep(): readonly { id: number; trigger: string }[] {
    return this.#openedThisStep;
  }

  /**
   * The owner changed the pre-roll (call after every settings change): the gate kept at
   * most the old length of the past (it never held more than configured), so a longer
   * pre-roll fills up from now on.
   */
  settingsChanged(): void {
    this.#syncPreRoll();
  }

  #syncPreRoll(): void {
    const cap = preRollSamples(this.#h.device.settings.preRollMs);
    if (cap === this.#preRollCap) return;
    this.#tail = this.#tail.slice(Math.max(0, this.#tail.length - this.#preRollCap));
    this.#preRollCap = cap;
  }

  #onFrame(f: Int16Array): void {
    this.#syncPreRoll();
    if (this.#h.device.gate.probing && this.#h.sim.relay?.commanded === 'open' && f.some((x) => Math.abs(x) > 64)) this.#liveWhileProbing = true;
    // A deafness probe's frames are the probe's only (design: never pre-roll, wake word or a
    // stream); a stream that opens while the probe is still closing must not expect them.
    if (this.#h.device.gate.probing) {
      this.#tail = new Int16Array(0);
      return;
    }
    for (const s of this.#streams.values()) if (s.open) s.after.push(f.slice());
    const cap = 16_000;
    const joined = new Int16Array(Math.min(cap, this.#tail.length + f.length));
    const keep = this.#tail.subarray(Math.max(0, this.#tail.length - (joined.length - f.length)));
    joined.set(keep);
    joined.set(f.subarray(Math.max(0, f.length - joined.length)), keep.length);
    this.#tail = joined;
  }

  #onChange(v: AttentionView): void {
    this.#syncPreRoll();
    const rec = this.#h.sim.recorder;
    if (v.muted && this.#mutedSince === null) this.#mutedSince = rec.record('test', 'muted');
    if (!v.muted && this.#mutedSince !== null) {
      this.#mutedSince = null;
      rec.record('test', 'unmuted');
    }
    for (const s of this.#streams.values()) if (s.open && v.stream?.id !== s.id) s.open = false;
    if (v.stream && !this.#streams.has(v.stream.id)) {
      const n = Math.round((this.#h.device.settings.preRollMs * 16000) / 1000);
      const preRoll = this.#tail.slice(Math.max(0, this.#tail.length - n));
      this.#streams.set(v.stream.id, { id: v.stream.id, trigger: v.stream.trigger, preRoll, after: [], open: true });
      this.#openedThisStep.push({ id: v.stream.id, trigger: v.stream.trigger });
      rec.record('test', 'stream-open', v.stream.id);
    }
  }

  /** A mute change is still being written to the relay (the check runs between steps; allow the write in flight). */
  #relayMoving(): boolean {
    return false;
  }

  /** How many times check() ran to completion (for the report). */
  checks = 0;

  check(): void {
    this.#checkAll();
    this.checks++;
  }

  #checkAll(): void {
    const h = this.#h;
    const { device, sim, voice, clock } = h;
    const view = device.view;
    const settings = device.settings;
    const records = sim.recorder.records();

    // ---- invariant 1: indicator first, and blue whenever audio flows -------------------
    let lastFrame: RingFrame | null = null;
    const ackedStreams = new Set<number>();
    let lastStreamOpen: number | null = null;
    for (const r of records) {
      if (r.device === 'ring' && r.kind === 'frame') {
        lastFrame = r.detail as RingFrame;
        if (lastStreamOpen !== null && showsListening(lastFrame)) ackedStreams.add(lastStreamOpen);
      }
      if (r.device === 'test' && r.kind === 'stream-open') lastStreamOpen = r.detail as number;
      if (r.device === 'voice' && r.kind === 'open') {
        const id = r.detail as number;
        if (!ackedStreams.has(id)) fail(`I1: stream ${id} opened to the voice service before the ring showed listening`);
      }
      if (r.device === 'voice' && r.kind === 'chunk') {
        const id = (r.detail as { id: number }).id;
        if (!ackedStreams.has(id)) fail(`I1: audio of stream ${id} sent before its indicator was acknowledged`);
        if (!lastFrame || !showsListening(lastFrame)) fail(`I1: audio of stream ${id} sent while the ring was not blue`);
      }
    }

    // ---- invariant 2: mute is absolute ------------------------------------------------
    let muted = false;
    for (const r of records) {
      if (r.device === 'test' && r.kind === 'muted') muted = true;
      if (r.device === 'test' && r.kind === 'unmuted') muted = false;
      if (muted && r.device === 'voice') fail(`I2: voice ${r.kind} while muted`);
    }
    if (view.muted) {
      if (sim.relay!.commanded !== 'open') fail('I2: muted but the relay is commanded closed (mic powered)');
      if (!sim.muteLed!.isOn) fail('I2: muted but the red LED is off');
      if (sim.microphone.isOpen && !h.device.gate.probing) fail('I2: muted but the mic is open');
      if (view.stream) fail('I2: muted with a stream open');
      if (h.wake.live) fail('I2: muted but the wake detector is being fed audio');
      if (view.state !== 'muted' && view.state !== 'fault') fail(`I2: muted but state is ${view.state}`);
    }
    if (voice.streams.some((s) => s.end === null) && (view.muted || view.fault || view.paused)) fail('I2: a stream is still open while muted/faulted');

    // ---- builds 2–4: the relay follows micPowered (mute, schedule, push-to-talk) ----------
    if (!view.micPowered) {
      if (sim.relay!.commanded !== 'open' && !this.#relayMoving()) fail('P1: mic not allowed power but the relay is commanded closed');
      if (view.stream) fail('P1: a stream is open while the mic may not be powered');
      if (sim.microphone.isOpen && !h.device.gate.probing) fail('P1: the mic is open while it may not be powered');
      if (!sim.muteLed!.isOn && !this.#relayMoving()) fail('P1: the mic is unpowered but the red LED is off');
    }
    if (view.pushToTalk && !h.device.machine.state.held && view.stream) fail('P2: push-to-talk stream open with the button up');
    if (view.pushToTalk && h.wake.live) fail('P2: push-to-talk but the wake word is being fed audio');
    if (view.scheduledMute && !settings.scheduleAllowsPushToTalk && !view.muted) fail('P3: inside the scheduled mute but not muted');
    for (const s of voice.streams) {
      if (s.end === null && view.pushToTalk && sim.relay!.hasSense && sim.relay!.senseValue() !== 'closed') fail('P2: push-to-talk stream without the sense line confirming the relay closed');
    }
    // ---- build 2: a live mic while the relay is open is caught ---------------------------
    // (An earlier latched fault — an egress mismatch — stays the one shown; it refuses streams just the same.)
    if (this.#liveWhileProbing && !h.device.gate.probing && !(view.fault?.code === 'MIC_LIVE_WHILE_MUTED' || view.fault?.latched)) {
      fail('D1: the mic delivered a live signal during a deafness probe, but the device is not in the MIC_LIVE_WHILE_MUTED fault');
    }
    if (sim.relay!.hasSense && sim.relay!.senseValue() !== sim.relay!.commanded) {
      if (!view.fault) fail('I2: relay sense disagrees with the command but the device is not in fault');
      if (view.stream || (sim.microphone.isOpen && !h.device.gate.probing)) fail('I2: relay fault but stream or capture continues');
    }

    // ---- invariant 3: only two ways in (checked per step by the runner) -------------------
    for (const s of voice.streams) {
      if (!['wake', 'button', 'follow-up'].includes(s.info.trigger)) fail(`I3: stream with trigger ${s.info.trigger}`);
      if (s.info.trigger === 'follow-up' && !settings.followUp) fail('I3: follow-up stream while follow-up mode is off');
      const watched = this.#streams.get(s.info.streamId);
      if (!watched) fail(`I3: voice stream ${s.info.streamId} the machine never opened`);
    }

    // ---- invariant 4: bounded streams -------------------------------------------------
    for (const s of voice.streams) {
      const end = s.endedAt ?? clock.now();
      if (end - s.openedAt > settings.maxStreamMs) fail(`I4: stream ${s.info.streamId} lasted ${end - s.openedAt} ms > max ${settings.maxStreamMs}`);
      if (s.lateWrites) fail(`I4: ${s.lateWrites} writes after stream ${s.info.streamId} ended`);
    }
    if (!voice.connected && voice.streams.some((s) => s.end === null)) fail('I4: service lost but a stream is still open');
    const openVoice = voice.streams.filter((s) => s.end === null);
    if (openVoice.length > 1) fail('I4: more than one stream open');
    if (openVoice.length === 1 && view.stream?.id !== openVoice[0]!.info.streamId) fail('I4: a stream is open the machine has closed');

    // ---- invariants 5 and 6: exact pre-roll, then every captured frame -----------------
    const cap = Math.round((settings.preRollMs * 16000) / 1000);
    if (h.device.gate.preRollCapacity !== cap) fail(`I5: pre-roll buffer holds ${h.device.gate.preRollCapacity} samples, configured ${cap}`);
    if (!view.stream && h.device.gate.heldSamples > cap) fail(`I5: idle device holds ${h.device.gate.heldSamples} samples > pre-roll ${cap}`);
    // ---- build 1: egress cross-check --------------------------------------------------
    for (const s of voice.streams) {
      const handed = this.#handed.get(s.info.streamId) ?? 0;
      if (s.samples === handed) continue;
      // The socket wrote something other than what the gate released: a latched fault, at once.
      if (view.fault?.code !== 'EGRESS_MISMATCH' || !view.fault.latched) fail(`E1: stream ${s.info.streamId}: socket wrote ${s.samples} samples, gate released ${handed}, but no egress fault`);
      if (s.end === null) fail(`E1: stream ${s.info.streamId} still open after an egress mismatch`);
    }
    if (view.fault?.code === 'EGRESS_MISMATCH' && (view.stream || openVoiceCount(voice) > 0)) fail('E1: a stream is open while the egress fault stands');

    for (const s of voice.streams) {
      const w = this.#streams.get(s.info.streamId)!;
      if (s.duplicated) continue; // its audio is checked by the egress rule above
      const got = voice.audioOf(s);
      if (Math.round((s.info.preRollMs * 16000) / 1000) !== w.preRoll.length) fail(`I5: stream ${w.id} announced pre-roll ${s.info.preRollMs} ms, held ${w.preRoll.length} samples`);
      const expected = concat([w.preRoll, ...w.after]);
      if (s.end?.kind === 'abort' || !w.open) {
        // Ended: sent audio must be a prefix of pre-roll + everything captured (nothing skipped).
        if (!isPrefix(got, expected)) fail(`I5/I6: stream ${w.id} audio is not pre-roll followed by every captured frame`);
        if (s.end?.kind === 'end' && got.length !== expected.length) fail(`I6: stream ${w.id} lost ${expected.length - got.length} samples`);
      } else if (!isPrefix(got, expected) || got.length !== expected.length) {
        fail(`I5/I6: open stream ${w.id} sent ${got.length} samples, expected ${expected.length} (pre-roll ${w.preRoll.length})`);
      }
    }
  }
}

function preRollSamples(ms: number): number {
  return Math.round((ms * 16000) / 1000);
}

function openVoiceCount(voice: SimHarness['voice']): number {
  return voice.streams.filter((s) => s.end === null).length;
}

function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function isPrefix(a: Int16Array, b: Int16Array): boolean {
  if (a.length > b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
