import {
  AuthenticationResponseSchema, DeviceInfoResponseSchema, DisconnectResponseSchema, HelloResponseSchema,
  ListEntitiesDoneResponseSchema, PingResponseSchema,
} from './generated/api_pb.ts';
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { ApiConnection } from './api-connection.ts';
import type { DeviceIdentity } from './device-identity.ts';
import { decodeMessage, type DecodedMessage, type RawMessage } from './message-registry.ts';

/**
 * One client after its framing: the housekeeping every ESPHome device answers (spec §4)
 * and the hand-off of everything else to the satellite. Nothing but Hello is answered
 * before Hello; on an encrypted port nothing reaches here before the key was proven.
 */
export const API_VERSION = { major: 1, minor: 10 } as const;

export interface SessionHandler {
  deviceInfo(): MessageInitShape<typeof DeviceInfoResponseSchema>;
  /** ListEntities*Response messages, in order. */
  entities(): RawMessage[];
  /** Current entity states (after SubscribeStatesRequest). */
  states(): RawMessage[];
  message(session: ApiSession, msg: DecodedMessage): void;
  closed(session: ApiSession, code: string): void;
}

const HELLO = 1, AUTH = 3, DISCONNECT_REQ = 5, DISCONNECT_RES = 6, PING_REQ = 7, PING_RES = 8;
const DEVICE_INFO = 9, LIST_ENTITIES = 11, SUBSCRIBE_STATES = 20, SUBSCRIBE_HA_SERVICES = 34, SUBSCRIBE_HA_STATES = 38;

export class ApiSession {
  readonly id: number;
  private helloDone = false;
  /** The client asked for entity states (SubscribeStatesRequest). */
  statesSubscribed = false;
  clientInfo = '';

  constructor(id: number, readonly conn: ApiConnection, private readonly identity: DeviceIdentity, private readonly handler: SessionHandler) {
    this.id = id;
    conn.handle((raw) => this.receive(raw), (code) => handler.closed(this, code));
  }

  get peerHost(): string {
    return this.conn.peerHost;
  }

  get ready(): boolean {
    return this.helloDone && this.conn.open;
  }

  private receive(raw: RawMessage): void {
    let msg: DecodedMessage;
    try {
      msg = decodeMessage(raw);
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'ESPHOME_BAD_MESSAGE';
      if (code === 'ESPHOME_UNKNOWN_MESSAGE' && this.helloDone) return; // newer client, newer message: ignore
      this.conn.close(code, (e as Error).message);
      return;
    }
    if (!this.helloDone && raw.type !== HELLO) {
      this.conn.close('ESPHOME_NO_HELLO', `message ${msg.name} before HelloRequest`);
      return;
    }
    try {
      this.dispatch(raw.type, msg);
    } catch (e) {
      this.conn.close((e as { code?: string }).code ?? 'ESPHOME_INTERNAL', `handling ${msg.name}: ${(e as Error).message}`);
    }
  }

  private dispatch(type: number, msg: DecodedMessage): void {
    switch (type) {
      case HELLO:
        this.clientInfo = String((msg.message as { clientInfo?: string }).clientInfo ?? '').slice(0, 64);
        this.conn.send(HelloResponseSchema, {
          apiVersionMajor: API_VERSION.major, apiVersionMinor: API_VERSION.minor, serverInfo: `Tally ${this.identity.version}`, name: this.identity.name,
        });
        this.helloDone = true;
        this.conn.setupDone();
        return;
      case AUTH:
        this.conn.send(AuthenticationResponseSchema, {});
        return;
      case DISCONNECT_REQ:
        this.conn.send(DisconnectResponseSchema, {});
        this.conn.close('ESPHOME_CLIENT_DISCONNECT', 'client asked to disconnect');
        return;
      case DISCONNECT_RES:
        this.conn.close('ESPHOME_CLIENT_DISCONNECT', 'client acknowledged disconnect');
        return;
      case PING_REQ:
        this.conn.send(PingResponseSchema, {});
        return;
      case PING_RES:
      case SUBSCRIBE_HA_SERVICES:
      case SUBSCRIBE_HA_STATES:
        return;
      case DEVICE_INFO:
        this.conn.send(DeviceInfoResponseSchema, this.handler.deviceInfo());
        return;
      case LIST_ENTITIES:
        for (const e of this.handler.entities()) this.conn.sendRaw(e);
        this.conn.send(ListEntitiesDoneResponseSchema, {});
        return;
      case SUBSCRIBE_STATES:
        this.statesSubscribed = true;
        for (const s of this.handler.states()) this.conn.sendRaw(s);
        return;
      default:
        this.handler.message(this, msg);
    }
  }
}
