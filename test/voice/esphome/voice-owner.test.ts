import { describe, expect, it } from 'vitest';
import type { ApiSession } from '../../../src/voice/esphome/api-session.ts';
import { VoiceOwner } from '../../../src/voice/esphome/voice-owner.ts';

// Who the voice assistant (the mic's audio) belongs to, decided on its own:
// test/voice/esphome/satellite-session.test.ts drives the same rules through live Noise sessions.
interface FakeSession {
  peerHost: string;
  ready: boolean;
  closedWith: string[];
  /** The reasons given on close (they reach the log next to the code). */
  closeReasons: string[];
  conn: { close(code: string, message: string): void };
}
function session(peerHost: string): FakeSession & ApiSession {
  const s: FakeSession = {
    peerHost,
    ready: true,
    closedWith: [],
    closeReasons: [],
    conn: {
      close: (code, reason) => {
        s.closedWith.push(code);
        s.closeReasons.push(reason);
      },
    },
  };
  return s as FakeSession & ApiSession;
}

function owner(encrypted = true) {
  const log: string[] = [];
  const events: string[] = [];
  const o = new VoiceOwner((l) => log.push(l), { gained: () => events.push('gained'), lost: (c) => events.push(`lost ${c}`) }, encrypted);
  return { o, log, events };
}

const HA = '192.168.1.10';
const OTHER = '192.168.1.20';

describe('ESPHome voice owner', () => {
  it('the first subscriber owns voice; a later one from another address is refused with a coded line and gets nothing', () => {
    const { o, log, events } = owner();
    const ha = session(HA);
    const other = session(OTHER);
    o.subscribe(ha, true);
    o.subscribe(other, true);
    expect(o.current).toBe(ha);
    expect(events).toEqual(['gained']);
    expect(log).toEqual([`esphome: voice assistant owned by ${HA}`, `esphome ESPHOME_VOICE_OWNER_TAKEN: ${OTHER} asked for voice; it belongs to ${HA}`]);
    expect(ha.closedWith).toEqual([]);
    expect(other.closedWith).toEqual([]);
  });

  it('the owner subscribing again changes nothing', () => {
    const { o, log, events } = owner();
    const ha = session(HA);
    o.subscribe(ha, true);
    o.subscribe(ha, true);
    expect(events).toEqual(['gained']);
    expect(log).toHaveLength(1);
    expect(o.current).toBe(ha);
  });

  it('the owner unsubscribing or closing releases voice (with why); anyone else doing so does not', () => {
    const { o, events } = owner();
    const ha = session(HA);
    const other = session(OTHER);
    o.subscribe(ha, true);
    o.subscribe(other, false);
    o.closed(other, 'ESPHOME_PEER_CLOSED');
    expect(o.current).toBe(ha);
    o.subscribe(ha, false);
    expect(o.current).toBeNull();
    expect(events).toEqual(['gained', 'lost ESPHOME_UNSUBSCRIBED']);
    o.subscribe(ha, false); // not the owner any more
    expect(events).toHaveLength(2);

    o.subscribe(other, true);
    expect(o.current).toBe(other);
    o.closed(ha, 'ESPHOME_PEER_CLOSED');
    expect(o.current).toBe(other);
    o.closed(other, 'ESPHOME_IDLE');
    expect(o.current).toBeNull();
    expect(events).toEqual(['gained', 'lost ESPHOME_UNSUBSCRIBED', 'gained', 'lost ESPHOME_IDLE']);
    expect(o.lastHost).toBe(OTHER); // the ledger's destination after the owner went
  });

  it('once the owner left, the next subscriber gets voice', () => {
    const { o } = owner();
    const ha = session(HA);
    const other = session(OTHER);
    o.subscribe(ha, true);
    o.subscribe(other, true);
    o.closed(ha, 'ESPHOME_PEER_CLOSED');
    expect(o.current).toBeNull(); // a refused subscriber is not queued
    o.subscribe(other, true);
    expect(o.current).toBe(other);
  });

  it('an owner whose session is no longer ready (closing, no Hello) is not handed audio', () => {
    const { o } = owner();
    const ha = session(HA);
    o.subscribe(ha, true);
    ha.ready = false;
    expect(o.current).toBeNull();
    ha.ready = true;
    expect(o.current).toBe(ha);
  });

  it('encrypted: a new connection from the owner’s address takes over at once and the old one is closed', () => {
    const { o, log, events } = owner(true);
    const old = session(HA);
    const fresh = session(HA);
    o.subscribe(old, true);
    o.subscribe(fresh, true);
    expect(o.current).toBe(fresh);
    expect(old.closedWith).toEqual(['ESPHOME_REPLACED']);
    expect(events).toEqual(['gained', 'lost ESPHOME_OWNER_RECONNECTED', 'gained']);
    expect(log[1]).toBe(`esphome: ${HA} reconnected; voice moves to its new connection`);
    o.closed(old, 'ESPHOME_REPLACED'); // the old socket's close arrives later: it is not the owner
    expect(o.current).toBe(fresh);
  });

  it('plaintext: the same address is no proof (anyone can claim it), so a second connection is refused', () => {
    const { o, log, events } = owner(false);
    const old = session(HA);
    const fresh = session(HA);
    o.subscribe(old, true);
    o.subscribe(fresh, true);
    expect(o.current).toBe(old);
    expect(old.closedWith).toEqual([]);
    expect(events).toEqual(['gained']);
    expect(log[1]).toContain('ESPHOME_VOICE_OWNER_TAKEN');
  });

  it('encrypted: another address never takes over, even while the owner is still connected', () => {
    const { o } = owner(true);
    const ha = session(HA);
    o.subscribe(ha, true);
    o.subscribe(session(OTHER), true);
    expect(o.current).toBe(ha);
    expect(ha.closedWith).toEqual([]);
  });

  it('encrypted takeover: the old connection is told why it was closed (the log says the same HA reconnected)', () => {
    const { o } = owner(true);
    const old = session(HA);
    o.subscribe(old, true);
    o.subscribe(session(HA), true);
    expect(old.closeReasons).toEqual(['the same Home Assistant opened a new connection']);
  });
});
