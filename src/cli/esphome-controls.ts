import type { Device } from '../core/device-types.ts';
import type { VoiceService } from '../core/ports/voice-service.ts';
import { STOCK_WAKE_WORDS } from '../wake/models.ts';
import { wakePhrase } from '../voice/esphome/create-esphome-satellite.ts';
import type { SatelliteControls } from '../voice/esphome/satellite-controls.ts';

/**
 * Home Assistant's ESPHome entities, bound to the real device. HA only asks: mute on is
 * the attention machine's own mute (relay, LED, stream cut); mute off is refused when the
 * mute is a hardware relay (the owner unmutes at the device). A wake-word choice is saved
 * in the settings and takes effect at the next start (the detector loads its models once).
 */
export function deviceControls(device: Device): SatelliteControls & { dispose(): void } {
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((fn) => fn());
  let lastMuted = device.view.muted;
  const offView = device.on('change', (v) => {
    if (v.muted === lastMuted) return;
    lastMuted = v.muted;
    changed();
  });
  const offLedger = device.ledger.on('opened', () => changed());
  const update = (patch: Parameters<Device['updateSettings']>[0]) => {
    device.updateSettings(patch);
    changed();
  };
  return {
    hardwareMute: !device.view.softwareMute,
    muted: () => device.view.muted,
    requestMute: (muted) => {
      if (!muted && !device.view.softwareMute) return;
      device.send({ type: 'mute', muted });
    },
    volume: () => device.settings.volume,
    setVolume: (v) => update({ volume: v }),
    followUp: () => device.settings.followUp,
    setFollowUp: (on) => update({ followUp: on }),
    streamsToday: () => {
      const midnight = new Date(device.clock.wallNow()).setHours(0, 0, 0, 0);
      return device.ledger.entries().filter((e) => e.startedAt >= midnight).length;
    },
    wakeWords: () => {
      const ids = [...new Set([...device.settings.wakeWords, ...STOCK_WAKE_WORDS])];
      return { available: ids.map((id) => ({ id, label: wakePhrase(id) })), active: [...device.settings.wakeWords], maxActive: 4 };
    },
    setActiveWakeWords: (ids) => {
      const known = new Set<string>([...device.settings.wakeWords, ...STOCK_WAKE_WORDS]);
      const chosen = ids.filter((id) => known.has(id)).slice(0, 4);
      if (chosen.length) update({ wakeWords: chosen });
    },
    onChange: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    dispose: () => {
      offView();
      offLedger();
      listeners.clear();
    },
  };
}

/** Binds the device's controls when the voice service is the ESPHome satellite. */
export function bindEsphomeControls(voice: VoiceService, device: Device): (() => void) | null {
  const sat = voice as VoiceService & { useControls?: (c: SatelliteControls) => void };
  if (typeof sat.useControls !== 'function') return null;
  const controls = deviceControls(device);
  sat.useControls(controls);
  return () => controls.dispose();
}
