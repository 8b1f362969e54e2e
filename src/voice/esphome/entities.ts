import {
  EntityCategory, ListEntitiesMediaPlayerResponseSchema, ListEntitiesNumberResponseSchema, ListEntitiesSensorResponseSchema,
  ListEntitiesSwitchResponseSchema, MediaPlayerCommand, MediaPlayerFormatPurpose, MediaPlayerState, MediaPlayerStateResponseSchema,
  NumberMode, NumberStateResponseSchema, SensorStateClass, SensorStateResponseSchema, SwitchStateResponseSchema,
  type MediaPlayerCommandRequest, type NumberCommandRequest, type SwitchCommandRequest,
} from './generated/api_pb.ts';
import { encodeMessage, type RawMessage } from './message-registry.ts';
import type { SatelliteControls } from './satellite-controls.ts';

/**
 * The entities Home Assistant shows for Tally, modelled on Voice PE's: a media player
 * (asks HA for 16 kHz mono WAV so replies need no decoder we do not have), the mute
 * switch, follow-up, volume, LED brightness and a "Tally privacy" sensor.
 */
export const KEY = { media: 1, mute: 2, followUp: 3, volume: 4, privacy: 6 } as const;

// HA MediaPlayerEntityFeature bits (spec §6).
const MP_VOLUME_SET = 4, MP_PLAY_MEDIA = 512, MP_STOP = 4096, MP_ANNOUNCE = 1 << 20;

export function listEntities(controls: SatelliteControls): RawMessage[] {
  const muteName = controls.hardwareMute ? 'Mute (turn off on the device)' : 'Mute';
  return [
    encodeMessage(ListEntitiesMediaPlayerResponseSchema, {
      objectId: 'media_player', key: KEY.media, name: 'Speaker', icon: 'mdi:speaker', featureFlags: MP_VOLUME_SET | MP_PLAY_MEDIA | MP_STOP | MP_ANNOUNCE,
      supportedFormats: [
        { format: 'wav', sampleRate: 16000, numChannels: 1, purpose: MediaPlayerFormatPurpose.ANNOUNCEMENT, sampleBytes: 2 },
        { format: 'wav', sampleRate: 16000, numChannels: 1, purpose: MediaPlayerFormatPurpose.DEFAULT, sampleBytes: 2 },
      ],
    }),
    encodeMessage(ListEntitiesSwitchResponseSchema, { objectId: 'mute', key: KEY.mute, name: muteName, icon: 'mdi:microphone-off' }),
    encodeMessage(ListEntitiesSwitchResponseSchema, {
      objectId: 'follow_up', key: KEY.followUp, name: 'Follow-up mode', icon: 'mdi:chat-processing', entityCategory: EntityCategory.CONFIG,
    }),
    encodeMessage(ListEntitiesNumberResponseSchema, {
      objectId: 'volume', key: KEY.volume, name: 'Volume', icon: 'mdi:volume-high', minValue: 0, maxValue: 100, step: 1, unitOfMeasurement: '%', mode: NumberMode.SLIDER,
    }),
    encodeMessage(ListEntitiesSensorResponseSchema, {
      objectId: 'privacy_streams_today', key: KEY.privacy, name: 'Tally privacy: streams today', icon: 'mdi:shield-lock', unitOfMeasurement: 'streams',
      accuracyDecimals: 0, stateClass: SensorStateClass.STATE_CLASS_MEASUREMENT,
    }),
  ];
}

export function entityStates(controls: SatelliteControls, playing: boolean): RawMessage[] {
  return [
    encodeMessage(MediaPlayerStateResponseSchema, {
      key: KEY.media, state: playing ? MediaPlayerState.PLAYING : MediaPlayerState.IDLE, volume: controls.volume(),
    }),
    encodeMessage(SwitchStateResponseSchema, { key: KEY.mute, state: controls.muted() }),
    encodeMessage(SwitchStateResponseSchema, { key: KEY.followUp, state: controls.followUp() }),
    encodeMessage(NumberStateResponseSchema, { key: KEY.volume, state: Math.round(controls.volume() * 100) }),
    encodeMessage(SensorStateResponseSchema, { key: KEY.privacy, state: controls.streamsToday() }),
  ];
}

const clamp01 = (v: number) => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : null);

export function switchCommand(controls: SatelliteControls, cmd: SwitchCommandRequest): void {
  if (cmd.key === KEY.mute) controls.requestMute(cmd.state); // the controls refuse "off" on a relay
  else if (cmd.key === KEY.followUp) controls.setFollowUp(cmd.state);
}

export function numberCommand(controls: SatelliteControls, cmd: NumberCommandRequest): void {
  const v = clamp01(cmd.state / 100);
  if (v === null) return;
  if (cmd.key === KEY.volume) controls.setVolume(v);
}

/** Volume and stop from the media player card; `play` of a URL is handled by the satellite. */
export function mediaPlayerCommand(controls: SatelliteControls, cmd: MediaPlayerCommandRequest, stop: () => void): void {
  if (cmd.key !== KEY.media) return;
  if (cmd.hasVolume) {
    const v = clamp01(cmd.volume);
    if (v !== null) controls.setVolume(v);
  }
  if (cmd.hasCommand && cmd.command === MediaPlayerCommand.STOP) stop();
}
