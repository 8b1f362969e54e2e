import { create, equals, toBinary, type DescMessage } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as pb from '../../../src/voice/esphome/generated/api_pb.ts';
import { decodeMessage, encodeMessage, messageTypeId } from '../../../src/voice/esphome/message-registry.ts';
import { PlaintextFrameDecoder, encodePlaintextFrame } from '../../../src/voice/esphome/plaintext-frame.ts';

/**
 * Every message the satellite sends or reads: its id (from api.proto's options) is the one
 * the spec lists, and it survives encode → plaintext frame → decode unchanged. The spec's
 * hex examples are checked byte for byte.
 */
const USED: [DescMessage, number][] = [
  [pb.HelloRequestSchema, 1], [pb.HelloResponseSchema, 2], [pb.AuthenticationRequestSchema, 3], [pb.AuthenticationResponseSchema, 4],
  [pb.DisconnectRequestSchema, 5], [pb.DisconnectResponseSchema, 6], [pb.PingRequestSchema, 7], [pb.PingResponseSchema, 8],
  [pb.DeviceInfoRequestSchema, 9], [pb.DeviceInfoResponseSchema, 10], [pb.ListEntitiesRequestSchema, 11], [pb.ListEntitiesDoneResponseSchema, 19],
  [pb.SubscribeStatesRequestSchema, 20], [pb.SubscribeHomeassistantServicesRequestSchema, 34], [pb.SubscribeHomeAssistantStatesRequestSchema, 38],
  [pb.ListEntitiesMediaPlayerResponseSchema, 63], [pb.MediaPlayerStateResponseSchema, 64], [pb.MediaPlayerCommandRequestSchema, 65],
  [pb.SubscribeVoiceAssistantRequestSchema, 89], [pb.VoiceAssistantRequestSchema, 90], [pb.VoiceAssistantResponseSchema, 91],
  [pb.VoiceAssistantEventResponseSchema, 92], [pb.VoiceAssistantAudioSchema, 106], [pb.VoiceAssistantTimerEventResponseSchema, 115],
  [pb.VoiceAssistantAnnounceRequestSchema, 119], [pb.VoiceAssistantAnnounceFinishedSchema, 120], [pb.VoiceAssistantConfigurationRequestSchema, 121],
  [pb.VoiceAssistantConfigurationResponseSchema, 122], [pb.VoiceAssistantSetConfigurationSchema, 123],
];

const sample: Record<string, object> = {
  HelloResponse: { apiVersionMajor: 1, apiVersionMinor: 10, serverInfo: 'Tally 0.1.0', name: 'tally' },
  DeviceInfoResponse: { name: 'tally', macAddress: '02:00:00:7A:11:01', model: 'Tally', voiceAssistantFeatureFlags: 61, apiEncryptionSupported: true },
  VoiceAssistantRequest: { start: true, wakeWordPhrase: 'Alexa', conversationId: 'c1', flags: 1, audioSettings: { volumeMultiplier: 1.5, autoGain: 3 } },
  VoiceAssistantEventResponse: { eventType: pb.VoiceAssistantEvent.VOICE_ASSISTANT_TTS_END, data: [{ name: 'url', value: 'http://ha/x.wav' }] },
  VoiceAssistantAudio: { data: new Uint8Array(2048).fill(9), end: false },
  VoiceAssistantTimerEventResponse: { eventType: 1, timerId: 't', name: 'pasta', totalSeconds: 600, secondsLeft: 42, isActive: true },
  VoiceAssistantAnnounceRequest: { mediaId: 'http://ha/a.wav', text: 't', preannounceMediaId: 'http://ha/p.wav', startConversation: true },
  VoiceAssistantConfigurationResponse: { availableWakeWords: [{ id: 'alexa', wakeWord: 'Alexa', trainedLanguages: ['en'] }], activeWakeWords: ['alexa'], maxActiveWakeWords: 1 },
  ListEntitiesMediaPlayerResponse: { objectId: 'mp', key: 1, name: 'Speaker', supportedFormats: [{ format: 'wav', sampleRate: 16000, numChannels: 1, purpose: 1, sampleBytes: 2 }] },
  MediaPlayerCommandRequest: { key: 1, hasMediaUrl: true, mediaUrl: 'http://ha/m.wav', hasVolume: true, volume: 0.25 },
};

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('ESPHome codec', () => {
  it.each(USED)('%s: id from api.proto equals the spec id, and it round-trips through a plaintext frame', (schema, id) => {
    expect(messageTypeId(schema)).toBe(id);
    const msg = create(schema, sample[schema.typeName] as never);
    const raw = encodeMessage(schema, sample[schema.typeName] as never);
    const [back] = new PlaintextFrameDecoder(1 << 16).push(encodePlaintextFrame(raw));
    const decoded = decodeMessage(back!);
    expect(decoded.name).toBe(schema.typeName);
    expect(equals(schema, decoded.message as never, msg)).toBe(true);
  });

  it("matches the spec's hex examples", () => {
    expect(hex(encodePlaintextFrame(encodeMessage(pb.PingRequestSchema, {})))).toBe('000007');
    expect(hex(encodePlaintextFrame(encodeMessage(pb.VoiceAssistantResponseSchema, { port: 0 })))).toBe('00005b');
    expect(hex(encodePlaintextFrame(encodeMessage(pb.SubscribeVoiceAssistantRequestSchema, { subscribe: true, flags: 1 })))).toBe('0004590801' + '1001');
    expect(hex(encodePlaintextFrame(encodeMessage(pb.HelloRequestSchema, { clientInfo: 'x', apiVersionMajor: 1, apiVersionMinor: 14 })))).toBe('0007010a01781001180e');
    const audio = encodePlaintextFrame(encodeMessage(pb.VoiceAssistantAudioSchema, { data: new Uint8Array(2048) }));
    expect(hex(audio.subarray(0, 7))).toBe('0083106a0a8010');
    expect(audio.length).toBe(4 + 2051);
  });

  it('random event data and audio round-trip (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ name: fc.string({ maxLength: 20 }), value: fc.string({ maxLength: 200 }) }), { maxLength: 6 }),
        fc.integer({ min: 0, max: 100 }),
        fc.uint8Array({ maxLength: 4096 }),
        (data, eventType, bytes) => {
          const ev = create(pb.VoiceAssistantEventResponseSchema, { eventType, data });
          const back = decodeMessage(encodeMessage(pb.VoiceAssistantEventResponseSchema, { eventType, data }));
          expect(equals(pb.VoiceAssistantEventResponseSchema, back.message as never, ev)).toBe(true);
          const a = decodeMessage(encodeMessage(pb.VoiceAssistantAudioSchema, { data: bytes })).message as pb.VoiceAssistantAudio;
          expect(hex(a.data)).toBe(hex(bytes));
          expect(toBinary(pb.VoiceAssistantAudioSchema, a).length).toBe(bytes.length === 0 ? 0 : bytes.length + 1 + (bytes.length < 128 ? 1 : 2));
        },
      ),
    );
  });
});
