import { entityId } from 'esphome-client';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../hal/base/clock.ts';
import { bindEsphomeControls } from '../../../src/cli/esphome-controls.ts';
import { buildSimDevice, flush } from '../../support/sim-device.ts';
import { connectPeer, until, type HaPeer } from './support/ha-peer.ts';
import { satelliteFixture, type Fixture } from './support/satellite-fixture.ts';

/**
 * HA's entities bound to a real device on the sim board (relay mute): HA can mute, never
 * unmute; while muted neither the wake word nor an HA start-conversation opens the mic.
 */
let fx: Fixture | null = null;
let ha: HaPeer | null = null;
let stop: (() => Promise<void>) | null = null;
afterEach(async () => {
  await ha?.close();
  await stop?.();
  await fx?.close();
  fx = ha = stop = null;
});

async function setup() {
  fx = await satelliteFixture();
  const { device, wake, sim } = buildSimDevice({ clock: new SystemClock(), voice: fx.sat, settings: { followUp: true, startTone: false, endTone: false } });
  const unbind = bindEsphomeControls(fx.sat, device)!;
  expect(unbind).toBeTypeOf('function');
  await device.start();
  stop = async () => {
    unbind();
    await device.stop();
  };
  const feeder = setInterval(() => sim.microphone.feed(new Int16Array(320)), 20);
  const prevStop = stop;
  stop = async () => {
    clearInterval(feeder);
    await prevStop();
  };
  ha = await connectPeer(fx.sat.port, fx.pskB64);
  await until(() => device.view.online, 3000, 'online');
  await until(() => ha!.rec.entities.length >= 5, 3000, 'entities');
  return { device, wake, ha };
}

describe('ESPHome entities on a real device', () => {
  it('HA turns the relay mute on; its "off" is refused; muted, neither wake nor start-conversation reaches HA', async () => {
    const { device, wake, ha } = await setup();
    expect(device.view.softwareMute).toBe(false);
    const mute = entityId('switch', 'mute');
    ha.client.command(mute as never, { state: true } as never);
    await until(() => device.view.muted, 3000, 'muted by HA');
    ha.client.command(mute as never, { state: false } as never);
    await new Promise((r) => setTimeout(r, 150));
    await flush();
    expect(device.view.muted).toBe(true);

    wake.trigger();
    const done = ha.client.voiceAssistant.announce({ mediaId: fx!.tts.url('a'), startConversation: true }, { timeoutMs: 5000 });
    await until(() => fx!.tts.fetched.length === 1, 3000, 'announcement fetched');
    await expect(done).resolves.toBe(true); // the device played it: announcements may play while muted, they never open the mic
    await new Promise((r) => setTimeout(r, 200));
    expect(ha.rec.requests).toHaveLength(0);
    expect(ha.rec.audioBytes).toBe(0);
    expect(device.ledger.entries()).toHaveLength(0);
  });

  it('volume and follow-up from HA change the device settings', async () => {
    const { device, ha } = await setup();
    ha.client.command(entityId('number', 'volume') as never, { state: 20 } as never);
    ha.client.command(entityId('switch', 'follow_up') as never, { state: false } as never);
    await until(() => device.settings.volume === 0.2 && device.settings.followUp === false, 3000, 'settings');
  });
});
