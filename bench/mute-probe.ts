import { simBoard } from '../boards/sim.ts';
import { SystemClock } from '../hal/base/clock.ts';
import { SimVoiceService } from '../src/voice/sim-voice-service.ts';
import { buildSimDevice } from '../test/support/sim-device.ts';

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

/**
 * A sim device in real time that can be asked, again and again, "open a stream, then
 * press mute": the press is queued as an event-loop callback (as a GPIO interrupt is)
 * and the figure is queued → relay commanded open and stream aborted, in ms.
 */
export async function startMuteProbe() {
  const clock = new SystemClock();
  const { tones: _tones, ...roles } = simBoard.roles; // no tones: they would hold wake detection between presses
  const voice = new SimVoiceService({ clock, autoRespond: false });
  const { sim, device } = buildSimDevice({ clock, voice, board: { ...simBoard, roles }, settings: { startTone: false, endTone: false } });
  await device.start();
  let streamOpen = false;
  let aborted = false;
  const open = voice.openStream.bind(voice);
  voice.openStream = (info) => {
    const s = open(info);
    return {
      write: (x) => ((streamOpen = true), s.write(x)),
      // A getter: the gate reads the transport's live count after every write.
      get egress() {
        return s.egress;
      },
      end: (r) => s.end(r),
      abort: (r) => ((aborted = true), s.abort(r)),
    };
  };
  const frame = new Int16Array(sim.microphone.frameSamples).fill(100);
  return {
    async once(): Promise<number> {
      streamOpen = aborted = false;
      sim.actionButton!.press();
      while (!streamOpen) (sim.microphone.feed(frame), await nextTurn());
      const t0 = performance.now();
      let at = 0;
      setImmediate(() => sim.muteButton!.press());
      while (!(aborted && sim.relay!.commanded === 'open')) await nextTurn();
      at = performance.now();
      sim.muteButton!.press(); // unmute for the next round
      while (!sim.microphone.isOpen) await nextTurn();
      return at - t0;
    },
    stop: () => device.stop(),
  };
}
