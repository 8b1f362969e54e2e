import { connect, type Socket } from 'node:net';
import { NoiseFrameDecoder, encodeNoiseFrame } from '../../../../src/voice/esphome/noise-frame.ts';
import { NNpsk0Handshake, type NoiseTransport } from '../../../../src/voice/esphome/noise-handshake.ts';
import { PlaintextFrameDecoder, encodePlaintextFrame } from '../../../../src/voice/esphome/plaintext-frame.ts';
import type { RawMessage } from '../../../../src/voice/esphome/message-registry.ts';

/**
 * A client of our own, written from the spec, for what the published packages will not
 * do: talk plaintext to an encrypted port, use a wrong key on purpose, send garbage.
 * It records every message it manages to decode, so a test can count what leaked.
 */
export class RawClient {
  readonly received: RawMessage[] = [];
  /** performance.now() at receipt of each `received` message. */
  readonly receivedAt: number[] = [];
  readonly rejects: string[] = [];
  bytesIn = 0;
  closed = false;
  private transport: NoiseTransport | null = null;
  private hs: NNpsk0Handshake | null = null;
  private noiseDec = new NoiseFrameDecoder(65535);
  private plainDec = new PlaintextFrameDecoder(1 << 20);
  private noiseFrames = 0;
  private forged = false;

  private constructor(readonly socket: Socket, readonly mode: 'plaintext' | 'noise') {
    socket.on('data', (d) => this.onData(d));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => (this.closed = true));
  }

  static async open(port: number, mode: 'plaintext' | 'noise', localAddress?: string): Promise<RawClient> {
    const socket = connect({ port, host: '127.0.0.1', ...(localAddress ? { localAddress } : {}) });
    socket.setNoDelay(true);
    await new Promise<void>((res, rej) => socket.once('connect', () => res()).once('error', rej));
    return new RawClient(socket, mode);
  }

  /** ClientHello + handshake message 1 with `psk` (back to back, like aioesphomeapi). */
  startNoise(psk: Uint8Array): void {
    this.hs = new NNpsk0Handshake({ role: 'initiator', psk, prologue: new TextEncoder().encode('NoiseAPIInit\x00\x00') });
    const m1 = this.hs.writeMessage(new Uint8Array(0));
    this.write(encodeNoiseFrame(new Uint8Array(0)));
    this.write(encodeNoiseFrame(Uint8Array.from([0, ...m1])));
  }

  /**
   * A forger: a bogus handshake, then API requests in Noise frames *without* encryption.
   * Anything that comes back and parses as an unencrypted data frame counts as received,
   * so a server that ever skipped the key check would be caught.
   */
  startForged(requests: RawMessage[], junk: Uint8Array): void {
    this.forged = true;
    this.write(encodeNoiseFrame(new Uint8Array(0)));
    const m1 = new Uint8Array(48);
    m1.set(junk.subarray(0, 48));
    this.write(encodeNoiseFrame(Uint8Array.from([0, ...m1])));
    for (const m of requests) {
      const plain = Buffer.alloc(4 + m.payload.length);
      plain.writeUInt16BE(m.type, 0);
      plain.writeUInt16BE(m.payload.length, 2);
      plain.set(m.payload, 4);
      this.write(encodeNoiseFrame(plain));
    }
  }

  get encrypted(): boolean {
    return this.transport !== null;
  }

  send(msg: RawMessage): void {
    if (this.mode === 'plaintext') return this.write(encodePlaintextFrame(msg));
    if (!this.transport) return;
    const plain = Buffer.alloc(4 + msg.payload.length);
    plain.writeUInt16BE(msg.type, 0);
    plain.writeUInt16BE(msg.payload.length, 2);
    plain.set(msg.payload, 4);
    this.write(encodeNoiseFrame(this.transport.send.encrypt(plain)));
  }

  write(bytes: Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(d: Buffer): void {
    this.bytesIn += d.length;
    try {
      if (this.mode === 'plaintext' && d[0] !== 0x01) {
        for (const m of this.plainDec.push(d)) this.keep(m);
        return;
      }
      for (const f of this.noiseDec.push(d)) this.onNoiseFrame(f);
    } catch {
      this.socket.destroy();
    }
  }

  private onNoiseFrame(f: Uint8Array): void {
    const n = this.noiseFrames++;
    if (n === 0) return; // ServerHello (name, mac)
    if (this.forged) {
      if (f[0] === 1 && n === 1) {
        this.rejects.push(Buffer.from(f.subarray(1)).toString('ascii'));
        return;
      }
      const p = Buffer.from(f);
      if (p.length >= 4 && p.readUInt16BE(2) === p.length - 4) this.keep({ type: p.readUInt16BE(0), payload: new Uint8Array(p.subarray(4)) });
      return;
    }
    if (!this.transport) {
      if (f[0] !== 0) {
        this.rejects.push(Buffer.from(f.subarray(1)).toString('ascii'));
        return;
      }
      if (!this.hs) return;
      this.hs.readMessage(f.subarray(1));
      this.transport = this.hs.split();
      return;
    }
    const p = Buffer.from(this.transport.receive.decrypt(f));
    this.keep({ type: p.readUInt16BE(0), payload: new Uint8Array(p.subarray(4)) });
  }

  private keep(m: RawMessage): void {
    this.received.push(m);
    this.receivedAt.push(performance.now());
  }
}
