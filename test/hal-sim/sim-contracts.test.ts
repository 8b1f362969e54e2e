import { buttonContract } from '../contracts/button.contract.ts';
import { ledContract } from '../contracts/led.contract.ts';
import { lightRingContract } from '../contracts/light-ring.contract.ts';
import { microphoneContract } from '../contracts/microphone.contract.ts';
import { relayContract } from '../contracts/relay.contract.ts';
import { tonePlayerContract } from '../contracts/tone-player.contract.ts';
import { SimButton } from '../../hal/sim/sim-button.ts';
import { SimLed } from '../../hal/sim/sim-led.ts';
import { SimLightRing } from '../../hal/sim/sim-light-ring.ts';
import { SimMicrophone } from '../../hal/sim/sim-microphone.ts';
import { SimRecorder } from '../../hal/sim/sim-recorder.ts';
import { SimRelay } from '../../hal/sim/sim-relay.ts';
import { SimTonePlayer } from '../../hal/sim/sim-tone-player.ts';
import { ManualClock } from '../../hal/base/clock.ts';

const recorder = () => new SimRecorder(new ManualClock());

for (const hasSense of [true, false]) {
  relayContract(`sim (sense line: ${hasSense})`, async () => {
    const relay = new SimRelay(recorder(), { hasSense });
    return { relay, failNextWrite: () => relay.fault.failNext() };
  }, { writeFaults: true });
}

ledContract('sim', async () => {
  const led = new SimLed(recorder());
  return { led, lineLevel: () => led.isOn, failNextWrite: () => led.fault.failNext() };
}, { writeFaults: true });

for (const latchDelayMs of [0, 5]) {
  lightRingContract(`sim (latch ${latchDelayMs} ms)`, async () => {
    const rec = recorder();
    const clock = rec.clock as ManualClock;
    const ring = new SimLightRing(rec, { pixelCount: 12, latchDelayMs });
    // With a latch delay the clock must move for show() to resolve.
    const ticker = latchDelayMs ? setInterval(() => clock.advance(latchDelayMs), 1) : undefined;
    return {
      ring,
      latched: () => ring.current,
      writes: () => rec.records({ kind: 'frame' }).length,
      failNextWrite: () => ring.fault.failNext(),
      cleanup: async () => clearInterval(ticker),
    };
  }, { writeFaults: true, latches: true });
}

buttonContract('sim', async () => {
  const rec = recorder();
  const clock = rec.clock as ManualClock;
  const button = new SimButton(rec, { debounceMs: 50, longPressMs: 1000 });
  return { button, setRaw: (p) => button.setRaw(p), advance: (ms) => clock.advance(ms), debounceMs: 50, longPressMs: 1000 };
});

tonePlayerContract('sim', async () => {
  const rec = recorder();
  const clock = rec.clock as ManualClock;
  const player = new SimTonePlayer(rec);
  return {
    player,
    advance: async (ms) => {
      clock.advance(ms);
      await Promise.resolve();
    },
    failNextWrite: () => player.fault.failNext(),
  };
});

microphoneContract('sim', async () => {
  const mic = new SimMicrophone(recorder());
  return { mic, inject: async (s) => mic.feed(s) };
});
