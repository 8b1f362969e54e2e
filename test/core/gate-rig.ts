import { expect } from 'vitest';
import { ManualClock } from '../../hal/base/clock.ts';
import { TypedEmitter } from '../../hal/base/typed-emitter.ts';
import type { HalError } from '../../hal/errors.ts';
import type { MicrophoneEvents } from '../../hal/microphone.ts';
import type { AttentionMachine } from '../../src/core/attention/machine.ts';
import type { AttentionView } from '../../src/core/attention/types.ts';
import type { ClosedStream } from '../../src/core/device-types.ts';
import type { FeedbackHub } from '../../src/core/feedback/feedback-hub.ts';
import { PrivacyGate } from '../../src/core/gate/privacy-gate.ts';
import type { TransparencyLedger } from '../../src/core/ledger/transparency-ledger.ts';
import type { MuteController } from '../../src/core/mute/mute-controller.ts';
import type { VoiceService } from '../../src/core/ports/voice-service.ts';
import type { VoiceStreamInfo } from '../../src/core/ports/voice-stream.ts';
import { defaultSettings, type Settings } from '../../src/core/settings/schema.ts';

// A privacy gate on its own, with the outer layers that mask its inner checks on a real
// device switched off on purpose (used by gate-defence.test.ts and gate-streams.test.ts):
//
// - StubbornMic keeps delivering frames after it was closed or said it closed;
// - LaggingMachine changes its view without telling anyone (no 'change' event) until told to.
// What the tests assert is what left the device: bytes written to the voice stream.

export const FRAME = 1280;
export const frame = (v = 1000) => new Int16Array(FRAME).fill(v);

export class StubbornMic extends TypedEmitter<MicrophoneEvents> {
  readonly frameSamples = FRAME;
  isOpen = false;
  opens = 0;
  /** `true`: fails with an error that has no code; an Error: fails with that one. */
  failOpen: Error | boolean = false;
  async open() {
    if (this.failOpen) throw this.failOpen === true ? new Error('no capture device') : this.failOpen;
    this.isOpen = true;
    this.opens++;
  }
  async close() {
    this.isOpen = false; // …but frames keep coming: see deliver()
  }
  /** A frame from the driver, whatever state it is in. */
  deliver(f: Int16Array<ArrayBufferLike> = frame()) {
    this.emit('frame', f);
  }
  /** The driver says the device went away, and still delivers. */
  reportClosed() {
    this.emit('closed');
  }
  /** The driver reports a capture failure. */
  reportError(err: HalError) {
    this.emit('error', err);
  }
}

/** The mute controller as the gate sees it: what the relay was told, and when it settled. */
export class MuteStub extends TypedEmitter<{ applied: [boolean] }> {
  micPowerCommanded = true;
  faulted = false;
  /** The relay finished moving. */
  settle() {
    this.emit('applied', !this.micPowerCommanded);
  }
}

export function view(over: Partial<AttentionView> = {}): AttentionView {
  return {
    version: 1, state: 'idle', stream: null, lastStreamEnd: null, muted: false, softwareMute: false, paused: false, online: true,
    fault: null, followUpEndsAt: null, followUpMs: null, talkerDirection: null, notification: null, timers: [], night: false,
    error: null, scheduledMute: false, ownerMuted: false, pushToTalk: false, micPowered: true, confirm: null, notice: null,
    ...over,
  };
}

export class LaggingMachine extends TypedEmitter<{ change: [AttentionView] }> {
  view = view();
  sent: { type: string; code?: string; signal?: string }[] = [];
  /** The machine moves on; the gate is told only when `announce` is true. */
  set(over: Partial<AttentionView>, announce: boolean) {
    this.view = { ...this.view, ...over, version: this.view.version + 1 };
    if (announce) this.emit('change', this.view);
  }
  send(ev: { type: string }) {
    this.sent.push(ev);
  }
}

export interface RigOptions {
  settings?: Partial<Settings>;
  /** A device without a wake word detector (button only). */
  noWake?: boolean;
}

/** An indicator acknowledgement the gate is waiting for. */
export interface PendingAck {
  version: number;
  budgetMs: number;
  confirm(): void;
  fail(err: unknown): void;
}

export function rig(opts: RigOptions = {}) {
  const clock = new ManualClock(0);
  const mic = new StubbornMic();
  const machine = new LaggingMachine();
  const mute = new MuteStub();
  const pending: PendingAck[] = [];
  const acks: (() => void)[] = [];
  const feedback = {
    whenAcknowledged: (version: number, budgetMs: number) =>
      new Promise<void>((confirm, fail) => {
        pending.push({ version, budgetMs, confirm, fail });
        acks.push(confirm);
      }),
  };
  const written: Int16Array[] = [];
  const ended: string[] = [];
  const opened: VoiceStreamInfo[] = [];
  const ledgerOpened: Record<string, unknown>[] = [];
  const ledgerClosed: Record<string, unknown>[] = [];
  let onOpen: () => void = () => {};
  let onWrite: (s: Int16Array) => void = () => {};
  let openError: Error | null = null;
  /** Bytes the transport writes on top of the next chunk (a double write below the gate). */
  let extraEgress = 0;
  const voice = {
    destination: 'test-service',
    openStream: (info: VoiceStreamInfo) => {
      onOpen();
      if (openError) throw openError;
      opened.push(info);
      let bytes = 0;
      return {
        write: (s: Int16Array) => {
          written.push(s.slice()); // what went on the wire at that moment
          bytes += s.length * 2 + extraEgress;
          extraEgress = 0;
          onWrite(s);
        },
        get egress() {
          return { bytes, closed: false };
        },
        end: (r: string) => void ended.push(`end ${r}`),
        abort: (r: string) => void ended.push(`abort ${r}`),
      };
    },
  };
  const ledger = {
    open: (fields: Record<string, unknown>) => {
      ledgerOpened.push(fields);
      return { id: 'l1', ...fields };
    },
    close: (_entry: unknown, fields: Record<string, unknown>) => void ledgerClosed.push(fields),
  };
  const wakeHeard: Int16Array[] = [];
  let wakeResets = 0;
  const wake = {
    push: (s: Int16Array) => void wakeHeard.push(s),
    reset: () => void wakeResets++,
  };
  const settings: Settings = { ...defaultSettings(), preRollMs: 0, ...opts.settings };
  const gate = new PrivacyGate({
    clock,
    machine: machine as unknown as AttentionMachine,
    mic,
    feedback: feedback as unknown as FeedbackHub,
    voice: voice as unknown as VoiceService,
    ledger: ledger as unknown as TransparencyLedger,
    mute: mute as unknown as MuteController,
    settings: () => settings,
    wake: opts.noWake ? undefined : (wake as never),
  });
  const problems: string[] = [];
  const messages: string[] = [];
  const closed: ClosedStream[] = [];
  gate.on('problem', (code, message) => {
    problems.push(code);
    messages.push(message);
  });
  gate.on('stream-closed', (s) => closed.push(s));
  const tick = async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  const sentSamples = () => written.reduce((n, w) => n + w.length, 0);
  return {
    clock, gate, mic, machine, mute, acks, pending, written, ended, opened, ledgerOpened, ledgerClosed, problems, messages, closed,
    wakeHeard, settings, tick, sentSamples,
    get wakeResets() {
      return wakeResets;
    },
    set onOpen(fn: () => void) {
      onOpen = fn;
    },
    set onWrite(fn: (s: Int16Array) => void) {
      onWrite = fn;
    },
    set openError(e: Error | null) {
      openError = e;
    },
    set extraEgress(bytes: number) {
      extraEgress = bytes;
    },
  };
}

export type Rig = ReturnType<typeof rig>;

/** Opens a stream through the stub machine and lets the indicator acknowledge it. */
export async function openStream(r: Rig, stream: Partial<NonNullable<AttentionView['stream']>> = {}) {
  r.machine.set({ state: 'listening', stream: { id: 7, trigger: 'button', ...stream } as AttentionView['stream'] }, true);
  r.mic.deliver(); // heard while the indicator is not confirmed yet: held, not sent
  expect(r.written).toHaveLength(0);
  r.acks.shift()!();
  await r.tick();
}
