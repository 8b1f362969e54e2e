import { create, fromBinary, getOption, toBinary, type DescMessage, type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';
import { file_api } from './generated/api_pb.ts';
import { id as messageIdOption } from './generated/api_options_pb.ts';
import { TallyError } from '../../../hal/base/errors.ts';

/**
 * The ESPHome message type id of every message, read from the `(id)` option in the
 * vendored api.proto — never typed in by hand, so a proto update cannot drift from it.
 */
const byId = new Map<number, DescMessage>();
const idBySchema = new Map<string, number>();
for (const desc of file_api.messages) {
  const typeId = getOption(desc, messageIdOption);
  if (typeId > 0) {
    byId.set(typeId, desc);
    idBySchema.set(desc.typeName, typeId);
  }
}

export interface RawMessage {
  type: number;
  payload: Uint8Array;
}

export interface DecodedMessage {
  type: number;
  /** e.g. `HelloRequest`; the generated type of `message` is chosen by this name. */
  name: string;
  message: unknown;
}

export function messageTypeId(schema: DescMessage): number {
  const typeId = idBySchema.get(schema.typeName);
  if (typeId === undefined) throw new TallyError('ESPHOME_UNKNOWN_MESSAGE', `${schema.typeName} has no ESPHome message id`);
  return typeId;
}

export function schemaForType(type: number): DescMessage | undefined {
  return byId.get(type);
}

export function encodeMessage<S extends DescMessage>(schema: S, init: MessageInitShape<S>): RawMessage {
  return { type: messageTypeId(schema), payload: toBinary(schema, create(schema, init)) };
}

/** Decodes `payload` as `schema`; a malformed payload throws ESPHOME_BAD_MESSAGE. */
export function decodeAs<S extends DescMessage>(schema: S, payload: Uint8Array): MessageShape<S> {
  try {
    return fromBinary(schema, payload);
  } catch (cause) {
    throw new TallyError('ESPHOME_BAD_MESSAGE', `${schema.typeName} payload does not decode`, { cause });
  }
}

/** Decodes by type id; an id the proto does not know throws ESPHOME_UNKNOWN_MESSAGE. */
export function decodeMessage(raw: RawMessage): DecodedMessage {
  const schema = byId.get(raw.type);
  if (!schema) throw new TallyError('ESPHOME_UNKNOWN_MESSAGE', `message type ${raw.type} is not in api.proto`);
  return { type: raw.type, name: schema.typeName, message: decodeAs(schema, raw.payload) };
}
