import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keyPairFromPrivate } from '../../../src/voice/esphome/noise-crypto.ts';
import { NNpsk0Handshake, NOISE_PROTOCOL } from '../../../src/voice/esphome/noise-handshake.ts';

/** The published cacophony vector for our exact protocol (public domain, see the fixture's `source`). */
const fixture = JSON.parse(readFileSync(new URL('./fixtures/noise-nnpsk0-cacophony.json', import.meta.url), 'utf8'));
const v = fixture.vector;
const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function pair() {
  const initiator = new NNpsk0Handshake({
    role: 'initiator', psk: hex(v.init_psks[0]), prologue: hex(v.init_prologue), ephemeral: keyPairFromPrivate(hex(v.init_ephemeral)),
  });
  const responder = new NNpsk0Handshake({
    role: 'responder', psk: hex(v.resp_psks[0]), prologue: hex(v.resp_prologue), ephemeral: keyPairFromPrivate(hex(v.resp_ephemeral)),
  });
  return { initiator, responder };
}

describe('Noise_NNpsk0_25519_ChaChaPoly_SHA256 against the cacophony vector', () => {
  it('is the vector for our protocol', () => {
    expect(v.protocol_name).toBe(NOISE_PROTOCOL);
  });

  it('both handshake messages, the handshake hash and every transport message match byte for byte', () => {
    const { initiator, responder } = pair();
    const [m0, m1, ...transport] = v.messages;
    const c0 = initiator.writeMessage(hex(m0.payload));
    expect(toHex(c0)).toBe(m0.ciphertext);
    expect(toHex(responder.readMessage(c0))).toBe(m0.payload);
    const c1 = responder.writeMessage(hex(m1.payload));
    expect(toHex(c1)).toBe(m1.ciphertext);
    expect(toHex(initiator.readMessage(c1))).toBe(m1.payload);

    const i = initiator.split();
    const r = responder.split();
    expect(toHex(i.handshakeHash)).toBe(v.handshake_hash);
    expect(toHex(r.handshakeHash)).toBe(v.handshake_hash);
    transport.forEach((m: { payload: string; ciphertext: string }, idx: number) => {
      // Cacophony alternates: even index initiator → responder, odd responder → initiator.
      const [from, to] = idx % 2 === 0 ? [i, r] : [r, i];
      const c = from.send.encrypt(hex(m.payload));
      expect(toHex(c)).toBe(m.ciphertext);
      expect(toHex(to.receive.decrypt(c))).toBe(m.payload);
    });
  });

  it('a responder with a different psk fails with a MAC failure', () => {
    const { initiator } = pair();
    const wrong = new NNpsk0Handshake({ role: 'responder', psk: new Uint8Array(32).fill(7), prologue: hex(v.resp_prologue) });
    expect(() => wrong.readMessage(initiator.writeMessage(new Uint8Array(0)))).toThrow(/Handshake MAC failure/);
  });

  it('a different prologue fails too (ESPHome binds the ClientHello into it)', () => {
    const { initiator } = pair();
    const other = new NNpsk0Handshake({ role: 'responder', psk: hex(v.resp_psks[0]), prologue: hex('00') });
    expect(() => other.readMessage(initiator.writeMessage(new Uint8Array(0)))).toThrow(expect.objectContaining({ code: 'ESPHOME_HANDSHAKE_FAILED' }));
  });

  it('refuses out-of-turn steps and a split before the end', () => {
    const { initiator, responder } = pair();
    expect(() => responder.writeMessage(new Uint8Array(0))).toThrow(/out of turn/);
    expect(() => initiator.split()).toThrow(/not complete/);
  });
});
