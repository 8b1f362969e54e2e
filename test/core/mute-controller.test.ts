import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../hal/base/clock.ts';
import { TypedEmitter } from '../../hal/base/typed-emitter.ts';
import { HalError } from '../../hal/errors.ts';
import type { Relay, RelayEvents, RelayPosition } from '../../hal/relay.ts';
import { SimLed } from '../../hal/sim/sim-led.ts';
import { SimRecorder } from '../../hal/sim/sim-recorder.ts';
import { SimRelay } from '../../hal/sim/sim-relay.ts';
import { MuteController } from '../../src/core/mute/mute-controller.ts';
import { FileMuteStore, MemoryMuteStore, type MuteStore } from '../../src/core/mute/mute-store.ts';

// The mute hardware on its own: where the relay's metal is, whether the red LED is lit,
// what is on disk, and which faults the device is told about.
function rig(opts: { hasSense?: boolean; relay?: boolean; store?: MuteStore } = {}) {
  const rec = new SimRecorder(new ManualClock());
  const relay = opts.relay === false ? undefined : new SimRelay(rec, { hasSense: opts.hasSense ?? true });
  const led = new SimLed(rec);
  const store = opts.store ?? new MemoryMuteStore();
  const mute = new MuteController(relay, led, store);
  const events: string[] = [];
  mute.on('fault', (code) => events.push(`fault ${code}`));
  mute.on('fault-cleared', () => events.push('fault-cleared'));
  mute.on('problem', (code) => events.push(`problem ${code}`));
  mute.on('applied', (m) => events.push(`applied ${m}`));
  const relaySets = () => rec.records({ device: 'relay', kind: 'set' }).map((r) => r.detail);
  return { rec, relay, led, store, mute, events, relaySets };
}

const tick = () => new Promise((r) => setImmediate(r));

/** A relay whose sense line can fail to read: the sim relay cannot. */
class UnreadableSenseRelay extends TypedEmitter<RelayEvents> implements Relay {
  readonly hasSense = true;
  commanded: RelayPosition = 'open';
  async set(p: RelayPosition) { this.commanded = p; }
  async readSense(): Promise<RelayPosition> { throw new HalError('DEVICE_READ_FAILED', 'relay', 'sense line gone'); }
  async close() {}
}

describe('mute controller: the metal follows the mute', () => {
  it('muting opens the relay (mic unpowered) and lights the LED; unmuting closes it and puts the LED out', async () => {
    const { relay, led, mute, events } = rig();
    await mute.apply(true);
    expect(relay!.contact).toBe('open');
    expect(led.isOn).toBe(true);
    expect(mute.micPowerCommanded).toBe(false);
    await mute.apply(false);
    expect(relay!.contact).toBe('closed');
    expect(led.isOn).toBe(false);
    expect(mute.micPowerCommanded).toBe(true);
    expect(events).toEqual(['applied true', 'applied false']);
    expect(mute.faulted).toBe(false);
  });

  it("the owner's mute is written to disk before the metal moves, and survives a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-mute-ctl-'));
    const { mute } = rig({ store: new FileMuteStore(dir) });
    const pending = mute.set(true);
    expect(new FileMuteStore(dir).load()).toEqual({ muted: true }); // on disk already, synchronously
    await pending;
    const after = rig({ store: new FileMuteStore(dir) });
    expect(after.mute.loadPersisted()).toEqual({ muted: true, problem: null });
    expect(after.relay!.contact).toBe('open'); // reading the state moves nothing
  });

  it('calls are serialised and the last one wins: a superseded unmute never closes the relay', async () => {
    const { relay, mute, relaySets } = rig();
    const a = mute.apply(false);
    const b = mute.apply(true);
    await Promise.all([a, b]);
    expect(relaySets()).toEqual(['open']);
    expect(relay!.contact).toBe('open');
  });

  it('a relay that cannot be written is a fault, and the LED is left alone (it follows the metal)', async () => {
    const { relay, led, mute, events } = rig({ hasSense: false });
    await mute.apply(true);
    relay!.fault.failNext(1);
    await mute.apply(false);
    expect(events).toContain('fault RELAY_WRITE_FAILED');
    expect(mute.faulted).toBe(true);
    expect(led.isOn).toBe(true);
    expect(relay!.contact).toBe('open');
  });

  it('without a sense line the fault clears on the next successful write; with one, only when the sense line agrees', async () => {
    const noSense = rig({ hasSense: false });
    noSense.relay!.fault.failNext(1);
    await noSense.mute.apply(false);
    expect(noSense.mute.faulted).toBe(true);
    await noSense.mute.apply(false);
    expect(noSense.mute.faulted).toBe(false);
    expect(noSense.events.filter((e) => e.startsWith('fault'))).toEqual(['fault RELAY_WRITE_FAILED', 'fault-cleared']);

    const sensed = rig();
    sensed.relay!.fault.failNext(1);
    await sensed.mute.apply(false);
    sensed.relay!.stick('open'); // the contact stays open whatever is commanded
    await sensed.mute.apply(false);
    expect(sensed.mute.faulted).toBe(true);
    expect(sensed.events).not.toContain('fault-cleared');
    sensed.relay!.stick(null);
    await tick();
    expect(sensed.mute.faulted).toBe(false);
    expect(sensed.events.at(-1)).toBe('fault-cleared');
  });

  it('a sense line that disagrees with the command is a fault, caught on the very first apply', async () => {
    const { relay, mute, events } = rig();
    relay!.stick('closed'); // welded: the mic stays powered
    await mute.apply(true);
    expect(events).toContain('fault RELAY_SENSE_MISMATCH');
    expect(mute.faulted).toBe(true);
  });

  it('a sense change reported by the relay later (the contact moved on its own) raises the fault at once', async () => {
    const { relay, mute, events } = rig();
    await mute.apply(true);
    expect(mute.faulted).toBe(false);
    relay!.stick('closed');
    await tick();
    expect(events).toContain('fault RELAY_SENSE_MISMATCH');
    expect(mute.faulted).toBe(true);
  });

  it('after dispose the controller no longer watches the sense line', async () => {
    const { relay, mute, events } = rig();
    await mute.apply(true);
    mute.dispose();
    relay!.stick('closed');
    await tick();
    expect(events).toEqual(['applied true']);
  });

  it('a sense line that cannot be read is a fault (fail closed)', async () => {
    const relay = new UnreadableSenseRelay();
    const mute = new MuteController(relay, undefined, new MemoryMuteStore());
    const faults: string[] = [];
    mute.on('fault', (c) => faults.push(c));
    await mute.apply(true);
    expect(faults).toEqual(['RELAY_SENSE_UNREADABLE']);
    expect(mute.faulted).toBe(true);
  });

  it('a broken LED is a problem, not a fault; the relay is still checked', async () => {
    const { relay, led, mute, events } = rig();
    led.fault.failNext(1);
    relay!.stick('closed');
    await tick();
    events.length = 0; // the stuck contact was already seen; this is about the apply
    await mute.apply(true);
    expect(events).toEqual(['problem MUTE_LED_FAILED', 'fault RELAY_SENSE_MISMATCH', 'applied true']);
  });

  it('a mute state that cannot be saved is a problem; the metal still moves', async () => {
    const store: MuteStore = { load: () => ({ muted: false }), save: () => { throw new Error('disk full'); } };
    const { relay, mute, events } = rig({ store });
    await mute.set(true);
    expect(events).toEqual(['problem MUTE_STATE_UNWRITABLE', 'applied true']);
    expect(relay!.contact).toBe('open');
  });

  it('a persisted state read with a problem reports it (and fails closed)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-mute-ctl-'));
    writeFileSync(join(dir, 'mute.json'), '{"muted": tru');
    const { mute, events, relay } = rig({ store: new FileMuteStore(dir) });
    const r = mute.loadPersisted();
    expect(r.muted).toBe(true);
    expect(r.problem?.code).toBe('MUTE_STATE_CORRUPT');
    expect(r.problem?.message).toContain('staying muted');
    expect(events).toEqual(['problem MUTE_STATE_CORRUPT']);
    expect(relay!.contact).toBe('open');
  });

  it('a relay without a sense line: ordinary mutes and unmutes neither raise nor clear a fault', async () => {
    const { mute, events } = rig({ hasSense: false });
    await mute.apply(true);
    await mute.apply(false);
    await mute.set(true);
    expect(events).toEqual(['applied true', 'applied false', 'applied true']);
    expect(mute.faulted).toBe(false);
  });

  it('the fault tells the owner which way the relay failed and why, and what the sense line read', async () => {
    const messages: string[] = [];
    const { relay, mute } = rig({ hasSense: false });
    mute.on('fault', (_code, message) => messages.push(message));
    relay!.fault.failNext(1);
    await mute.apply(false);
    relay!.fault.failNext(1);
    await mute.apply(true);
    expect(messages).toEqual([
      'mute relay could not be set closed: relay: simulated failure: set closed',
      'mute relay could not be set open: relay: simulated failure: set open',
    ]);

    const sensed = rig();
    const mismatch: string[] = [];
    sensed.mute.on('fault', (code, message) => mismatch.push(`${code} ${message}`));
    sensed.relay!.stick('closed'); // welded: the mic stays powered whatever is commanded
    await sensed.mute.apply(true);
    await tick();
    expect(new Set(mismatch)).toEqual(new Set(['RELAY_SENSE_MISMATCH relay commanded open but its sense line reads closed']));
  });

  it('a board without a relay is software-only: the mic counts as powered, no sense line', async () => {
    const { mute, led } = rig({ relay: false });
    expect(mute.softwareOnly).toBe(true);
    expect(mute.hasSense).toBe(false);
    expect(mute.micPowerCommanded).toBe(true);
    await mute.apply(true);
    expect(led.isOn).toBe(true);
    const withRelay = rig({ hasSense: false });
    expect(withRelay.mute.softwareOnly).toBe(false);
    expect(withRelay.mute.hasSense).toBe(false);
    expect(rig().mute.hasSense).toBe(true);
  });
});
