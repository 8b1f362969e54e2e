import { createServer, type Server, type Socket } from 'node:net';
import { TallyError } from '../../../hal/base/errors.ts';
import { ApiConnection, DEFAULT_LIMITS, type ConnectionLimits, type LogLine } from './api-connection.ts';
import { ApiSession, type SessionHandler } from './api-session.ts';
import { compactMac, type DeviceIdentity } from './device-identity.ts';
import { NoiseServerFraming } from './noise-server-framing.ts';
import { PlaintextServerFraming } from './plaintext-server-framing.ts';
import type { RawMessage } from './message-registry.ts';

/**
 * The TCP side of the ESPHome native API (default port 6053). A port speaks exactly one
 * framing: Noise when a key is given (the default), plaintext only when asked for.
 */
export const ESPHOME_DEFAULT_PORT = 6053;

export interface ApiServerOptions {
  identity: DeviceIdentity;
  /** 32-byte Noise PSK; null = plaintext (`--esphome-plaintext`). */
  psk: Uint8Array | null;
  port?: number;
  host?: string;
  limits?: Partial<ConnectionLimits>;
  maxConnections?: number;
  log?: LogLine;
}

export class ApiServer {
  private server: Server | null = null;
  private readonly sessions = new Set<ApiSession>();
  private nextId = 1;
  private readonly limits: ConnectionLimits;
  private readonly log: LogLine;
  /** Close codes seen, for tests and status. */
  readonly closeCodes = new Map<string, number>();
  port = 0;

  constructor(private readonly opts: ApiServerOptions, private readonly handler: SessionHandler) {
    if (opts.psk && opts.psk.length !== 32) throw new TallyError('ESPHOME_BAD_KEY', 'the ESPHome encryption key must be 32 bytes');
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.log = opts.log ?? (() => {});
  }

  get encrypted(): boolean {
    return this.opts.psk !== null;
  }

  get connectionCount(): number {
    return this.sessions.size;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((socket) => this.accept(socket));
    const port = this.opts.port ?? ESPHOME_DEFAULT_PORT;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(new TallyError(e.code === 'EADDRINUSE' ? 'ESPHOME_PORT_IN_USE' : 'ESPHOME_LISTEN_FAILED', `cannot listen on port ${port}: ${e.message}`, { cause: e })),
      );
      server.listen(port, this.opts.host ?? '0.0.0.0', () => resolve());
    });
    server.on('error', (e) => this.log(`esphome ESPHOME_SERVER_ERROR: ${e.message}`));
    this.server = server;
    this.port = (server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of [...this.sessions]) s.conn.close('ESPHOME_SHUTDOWN', 'device stopping');
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Sends to every ready session that subscribed to states (entity changes). */
  broadcastState(msg: RawMessage): void {
    for (const s of this.sessions) if (s.ready && s.statesSubscribed) s.conn.sendRaw(msg);
  }

  private accept(socket: Socket): void {
    const framing = this.opts.psk
      ? new NoiseServerFraming(this.opts.psk, { name: this.opts.identity.name, mac: compactMac(this.opts.identity.mac) }, this.limits.maxPayload)
      : new PlaintextServerFraming(this.limits.maxPayload);
    const conn = new ApiConnection(socket, framing, this.limits, this.log);
    if (this.sessions.size >= (this.opts.maxConnections ?? 8)) {
      // Clients that have not proven the key cannot hold HA out: the oldest of them makes room.
      const stranger = [...this.sessions].find((s) => !s.ready);
      if (!stranger) {
        this.noteClose('ESPHOME_TOO_MANY_CONNECTIONS');
        conn.close('ESPHOME_TOO_MANY_CONNECTIONS', 'connection limit reached');
        return;
      }
      stranger.conn.close('ESPHOME_EVICTED', 'a new client needs the slot of one that has not finished setup');
    }
    const session = new ApiSession(this.nextId++, conn, this.opts.identity, {
      ...this.handler,
      deviceInfo: () => this.handler.deviceInfo(),
      entities: () => this.handler.entities(),
      states: () => this.handler.states(),
      message: (s, m) => this.handler.message(s, m),
      closed: (s, code) => {
        this.sessions.delete(s);
        this.noteClose(code);
        this.handler.closed(s, code);
      },
    });
    this.sessions.add(session);
  }

  private noteClose(code: string): void {
    this.closeCodes.set(code, (this.closeCodes.get(code) ?? 0) + 1);
  }
}
