import fc from 'fast-check';
import { numberedSamples, flush, createSimHarness, type SimHarness } from '../support/sim-device.ts';
import { InvariantChecker, InvariantViolation } from './invariant-checker.ts';
import type { MuteStore } from '../../src/core/mute/mute-store.ts';
import type { Settings } from '../../src/core/settings/schema.ts';

/**
 * Model-based test commands: random sequences of the events design.md names — wake,
 * button, mute, unmute, audio frames, voice-service events, indicator failure,
 * relay-sense lie, restart, clock advance — each followed by a full invariant check.
 */
export interface Model {
  muted: boolean;
  restarts: number;
}

export interface Real {
  h: SimHarness;
  checker: InvariantChecker;
  muteStore: MuteStore;
  settings: Partial<Settings>;
  ringLatchMs: number;
  /** Steps whose invariants were checked. */
  steps: number;
  /** Harnesses a restart replaced: the coverage count still sees their streams. */
  retired: SimHarness[];
}

type Cmd = fc.AsyncCommand<Model, Real, false>;

/** What may open a stream during a step, by the command that ran. */
type Allowed = ('wake' | 'button' | 'follow-up')[];

async function step(real: Real, allowed: Allowed, action: () => void | Promise<void>): Promise<void> {
  // A push-to-talk button held down is a button trigger in force: the stream may open once
  // whatever held the relay open (schedule, settings) lets go.
  if (real.h.device.machine.state.held) allowed = [...allowed, 'button'];
  real.checker.beginStep();
  await action();
  await flush();
  for (const s of real.checker.openedThisStep) {
    if (!allowed.includes(s.trigger as Allowed[number])) {
      throw new InvariantViolation(`I3: stream ${s.id} opened by ${s.trigger} during a step that allows only [${allowed.join(', ')}]`);
    }
  }
  real.checker.check();
  real.steps++;
}

function frameMs(real: Real): number {
  return (real.h.sim.microphone.frameSamples * 1000) / 16000;
}

const cmd = (name: string, run: (m: Model, r: Real) => Promise<void>): Cmd => ({
  check: () => true,
  run,
  toString: () => name,
});

export const wakeCmd = () => cmd('wake', (_m, r) => step(r, ['wake'], () => void r.h.wake.trigger()));
export const buttonCmd = () => cmd('button', (_m, r) => step(r, ['button'], () => r.h.sim.actionButton!.press()));
export const muteToggleCmd = () =>
  cmd('muteToggle', async (m, r) => {
    m.muted = !m.muted;
    await step(r, [], () => r.h.sim.muteButton!.press());
    if (r.h.device.machine.state.muted !== m.muted) throw new InvariantViolation(`I2: mute button pressed, owner mute=${r.h.device.machine.state.muted}, expected ${m.muted}`);
  });
export const setMuteCmd = (muted: boolean) =>
  cmd(`mute(${muted})`, async (m, r) => {
    m.muted = muted;
    await step(r, [], () => r.h.device.send({ type: 'mute', muted }));
  });

export const audioCmd = (frames: number) =>
  cmd(`audio(${frames})`, (_m, r) =>
    step(r, [], async () => {
      for (let i = 0; i < frames; i++) {
        r.h.sim.microphone.feed(numberedSamples(r.h.sim.microphone.frameSamples));
        r.h.clock.advance(frameMs(r));
        await flush(1);
      }
    }),
  );

export const advanceCmd = (ms: number) => cmd(`advance(${ms})`, (_m, r) => step(r, [], () => r.h.clock.advance(ms)));

type Signal = 'processing' | 'response-start' | 'response-end' | 'error' | 'lose' | 'connect' | 'follow-up-request';
export const serviceCmd = (signal: Signal) =>
  cmd(`service(${signal})`, (_m, r) =>
    step(r, signal === 'response-end' || signal === 'follow-up-request' ? ['follow-up'] : [], () => {
      const v = r.h.voice;
      const id = r.h.device.view.stream?.id ?? r.h.device.view.lastStreamEnd?.id ?? 0;
      if (signal === 'lose') v.loseConnection();
      else if (signal === 'connect') v.connect();
      else if (signal === 'error') v.simulate('error', 'SIM_ERROR', id);
      else if (signal === 'follow-up-request') v.simulate('follow-up-request');
      else v.simulate(signal, id);
    }),
  );

export const indicatorFailCmd = (always: boolean) =>
  cmd(`ringFails(${always})`, (_m, r) =>
    step(r, [], () => {
      if (always) r.h.sim.ring!.fault.failAlways(true);
      else r.h.sim.ring!.fault.failNext(1);
    }),
  );
export const indicatorHealCmd = () => cmd('ringHeals', (_m, r) => step(r, [], () => r.h.sim.ring!.fault.failAlways(false)));

/** Build 1: the transport writes the next chunk twice, below the gate. */
export const egressDoubleWriteCmd = () => cmd('egressDoubleWrite', (_m, r) => step(r, [], () => r.h.voice.duplicateNextWrite()));

/** Build 2: the mic keeps delivering audio with its relay open (or stops doing so). */
export const micLiveWhenUnpoweredCmd = (on: boolean) =>
  cmd(`micLiveWhenUnpowered(${on})`, (_m, r) => step(r, [], () => void (r.h.sim.microphone.liveWhenUnpowered = on)));

/** Build 3: the owner's schedule comes into force now (or is removed). */
export const scheduleCmd = (on: boolean, allowPtt: boolean) =>
  cmd(`schedule(${on},ptt=${allowPtt})`, (_m, r) =>
    step(r, [], () => {
      const d = new Date(r.h.clock.wallNow());
      const hh = (m: number) => `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      const now = d.getHours() * 60 + d.getMinutes();
      const patch = { muteSchedule: on ? { from: hh(now), to: hh(now + 120) } : null, scheduleAllowsPushToTalk: allowPtt };
      Object.assign(r.settings, patch); // survives a restart, as the store's settings do
      r.h.device.updateSettings(patch);
    }),
  );

/** The owner changes the pre-roll while the device runs (the next stream starts with the new length). */
export const preRollCmd = (ms: number) =>
  cmd(`preRoll(${ms})`, (_m, r) =>
    step(r, [], () => {
      r.settings.preRollMs = ms;
      r.h.device.updateSettings({ preRollMs: ms });
      r.checker.settingsChanged();
    }),
  );

/** Build 4: push-to-talk mode on/off, and the action button held / let go. */
export const pushToTalkCmd = (on: boolean) =>
  cmd(`pushToTalk(${on})`, (_m, r) =>
    step(r, [], () => {
      r.settings.pushToTalk = on;
      r.h.device.updateSettings({ pushToTalk: on });
    }),
  );
export const buttonDownCmd = () => cmd('buttonDown', (_m, r) => step(r, ['button'], () => r.h.sim.actionButton!.down()));
export const buttonUpCmd = () => cmd('buttonUp', (_m, r) => step(r, [], () => r.h.sim.actionButton!.up()));

export const senseLieCmd = (pos: 'open' | 'closed' | null) => cmd(`senseLie(${pos})`, (_m, r) => step(r, [], () => r.h.sim.relay!.lieSense(pos)));

export const restartCmd = () =>
  cmd('restart', async (m, r) => {
    r.checker.dispose();
    await r.h.device.stop();
    r.retired.push(r.h);
    m.restarts++;
    r.h = await createSimHarness({ muteStore: r.muteStore, settings: r.settings, ringLatchMs: r.ringLatchMs });
    r.checker = new InvariantChecker(r.h);
    r.h.voice.connect();
    await flush();
    // Mute survives the restart and was enforced before the mic could open.
    if (r.h.device.machine.state.muted !== m.muted) throw new InvariantViolation(`I2: after restart owner mute=${r.h.device.machine.state.muted}, expected ${m.muted}`);
    // Owner mute, schedule or push-to-talk: the relay must never have closed at boot.
    if (m.muted || !r.h.device.view.micPowered) {
      const closedEver = r.h.sim.recorder.records({ device: 'relay' }).some((x) => x.kind === 'set' && x.detail === 'closed');
      const micOpened = r.h.sim.recorder.records({ device: 'mic', kind: 'open' }).length > 0;
      if (closedEver || micOpened) throw new InvariantViolation('I2: muted at boot but the relay closed or the mic opened');
    }
    r.checker.check();
  });

/** The service's spoken reply (the device plays it: speaking) to the latest request. */
export const replyAudioCmd = (ms: number) =>
  cmd(`replyAudio(${ms})`, (_m, r) =>
    step(r, [], () => {
      const id = r.h.device.view.stream?.id ?? r.h.device.view.lastStreamEnd?.id ?? 0;
      r.h.voice.simulate('response-audio', id, { sampleRate: 16_000, channels: 1, samples: new Int16Array(ms * 16) });
    }),
  );

export const ringTimerCmd = () => cmd('ringTimer', (_m, r) => step(r, [], () => r.h.voice.simulate('notification', 'timer', 'Timer')));

/**
 * Barge-in: the wake word while the device plays (a reply, a ringing timer). The scripted
 * detector stands for a converged echo canceller: the self-wake guard is lifted for it.
 * Checked: if a wake stream opened, nothing the device was playing before still plays.
 */
export const bargeInCmd = () =>
  cmd('bargeIn', async (_m, r) => {
    const rec = r.h.sim.recorder;
    const before = rec.lastSeq;
    await step(r, ['wake'], () => {
      r.h.wake.setSuppressed(false);
      r.h.wake.trigger();
    });
    if (!r.checker.openedThisStep.some((s) => s.trigger === 'wake')) return;
    const speaker = rec.records({ device: 'speaker' });
    const started = speaker.filter((x) => x.kind === 'start' && x.seq <= before && typeof x.detail === 'string' && (x.detail.startsWith('pcm:') || x.detail === 'chime'));
    for (const s of started) {
      const ended = speaker.some((x) => x.kind === 'end' && x.seq > s.seq && (x.detail as { sound: string }).sound === s.detail);
      if (!ended) throw new InvariantViolation(`barge-in: ${String(s.detail)} still plays after the wake word opened stream`);
    }
  });

export function allCommands(): fc.Arbitrary<Cmd>[] {
  // Wake, button and audio appear twice: streams are where the invariants bite.
  return [
    fc.constant(wakeCmd()),
    fc.constant(wakeCmd()),
    fc.constant(buttonCmd()),
    fc.constant(buttonCmd()),
    fc.integer({ min: 1, max: 20 }).map(audioCmd),
    fc.constant(muteToggleCmd()),
    fc.boolean().map(setMuteCmd),
    fc.integer({ min: 1, max: 20 }).map(audioCmd),
    fc.integer({ min: 1, max: 12_000 }).map(advanceCmd),
    fc.constantFrom<Signal>('processing', 'response-start', 'response-end', 'error', 'lose', 'connect', 'follow-up-request').map(serviceCmd),
    fc.boolean().map(indicatorFailCmd),
    fc.constant(indicatorHealCmd()),
    fc.constantFrom<'open' | 'closed' | null>('open', 'closed', null, null).map(senseLieCmd),
    fc.constant(restartCmd()),
    fc.constant(egressDoubleWriteCmd()),
    fc.boolean().map(micLiveWhenUnpoweredCmd),
    fc.tuple(fc.boolean(), fc.boolean()).map(([on, ptt]) => scheduleCmd(on, ptt)),
    fc.boolean().map(pushToTalkCmd),
    fc.constantFrom(0, 250, 500, 1000).map(preRollCmd),
    fc.constant(buttonDownCmd()),
    fc.constant(buttonUpCmd()),
    fc.integer({ min: 200, max: 6000 }).map(replyAudioCmd),
    fc.constant(ringTimerCmd()),
    fc.constant(bargeInCmd()),
  ];
}
