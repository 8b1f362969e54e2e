import type { ValidBoard } from '../board-definition.ts';
import type { Clock } from '../base/clock.ts';
import type { DeviceSet } from '../device-set.ts';
import { SimButton } from './sim-button.ts';
import { SimLed } from './sim-led.ts';
import { SimLightRing } from './sim-light-ring.ts';
import { SimMicrophone } from './sim-microphone.ts';
import { SimRecorder } from './sim-recorder.ts';
import { SimRelay } from './sim-relay.ts';
import { SimTonePlayer } from './sim-tone-player.ts';
import { SimEchoPath } from './sim-echo-path.ts';

/**
 * A whole simulated board: one instance per call, wired like the real thing — the mic
 * is powered only while the relay's contact is closed. Everything is scriptable through
 * the typed handles and recorded in `recorder`.
 */
export interface SimBoard extends DeviceSet {
  recorder: SimRecorder;
  microphone: SimMicrophone;
  relay?: SimRelay;
  muteLed?: SimLed;
  ring?: SimLightRing;
  actionButton?: SimButton;
  muteButton?: SimButton;
  tones?: SimTonePlayer;
  /** The room: the speaker's echo into the mic (delay, gain, reflections). */
  echo?: SimEchoPath;
}

export function createSimBoard(board: ValidBoard, clock: Clock): SimBoard {
  const recorder = new SimRecorder(clock);
  const r = board.roles;
  const relay = r.relay?.driver === 'sim' ? new SimRelay(recorder, { hasSense: r.relay.sensePin !== undefined }) : undefined;
  const microphone = new SimMicrophone(recorder, {
    ...(r.microphone.frameSamples ? { frameSamples: r.microphone.frameSamples } : {}),
    powered: () => (relay ? relay.contact === 'closed' : true),
  });
  const sim: SimBoard = {
    recorder,
    microphone,
    ...(relay ? { relay } : {}),
    ...(r.muteLed?.driver === 'sim' ? { muteLed: new SimLed(recorder) } : {}),
    ...(r.ring?.driver === 'sim' ? { ring: new SimLightRing(recorder, { pixelCount: r.ring.pixelCount }) } : {}),
    ...(r.actionButton?.driver === 'sim'
      ? { actionButton: new SimButton(recorder, { name: 'action-button', ...buttonOpts(r.actionButton) }) }
      : {}),
    ...(r.muteButton?.driver === 'sim'
      ? { muteButton: new SimButton(recorder, { name: 'mute-button', ...buttonOpts(r.muteButton) }) }
      : {}),
    ...(r.tones?.driver === 'sim' ? { tones: new SimTonePlayer(recorder) } : {}),
    async close() {
      microphone.stopPlayback();
      removeEcho?.();
      sim.echo?.close();
      await Promise.all([
        microphone.close(),
        sim.ring?.close(),
        sim.muteLed?.close(),
        sim.actionButton?.close(),
        sim.muteButton?.close(),
        sim.tones?.close(),
      ]);
      // Last: the relay is left open, mic unpowered.
      await relay?.close();
    },
  };
  let removeEcho: (() => void) | undefined;
  if (sim.tones) {
    const echo = new SimEchoPath(sim.tones);
    sim.echo = echo;
    removeEcho = microphone.addAcousticSource((frame, endMs) => echo.mixInto(frame, endMs));
  }
  return sim;
}

function buttonOpts(spec: { debounceMs?: number | undefined; longPressMs?: number | undefined }) {
  return {
    ...(spec.debounceMs !== undefined ? { debounceMs: spec.debounceMs } : {}),
    ...(spec.longPressMs !== undefined ? { longPressMs: spec.longPressMs } : {}),
  };
}
