/**
 * What Home Assistant keys an ESPHome device on: the name (hostname-like) and the MAC.
 * HA compares both with the Noise ServerHello on every reconnect, so they must be stable.
 */
export interface DeviceIdentity {
  /** Hostname-like, e.g. `tally-kitchen`: HelloResponse.name, DeviceInfo.name, ServerHello. */
  name: string;
  friendlyName: string;
  /** `AA:BB:CC:DD:EE:FF`. */
  mac: string;
  version: string;
}

/** The MAC as HA's Noise check and zeroconf want it: lower-case hex, no separators. */
export function compactMac(mac: string): string {
  return mac.replace(/:/g, '').toLowerCase();
}

/** `tally` + a device id → a hostname HA accepts (letters, digits, dashes, ≤ 31). */
export function hostnameFor(deviceId: string): string {
  const base = deviceId.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '');
  return (base || 'tally').slice(0, 31);
}

/**
 * A locally administered MAC-like id derived from the first real interface (or the name),
 * so the device keeps its HA identity across restarts without exposing the NIC's MAC.
 */
export function deviceMac(seed: string): string {
  let h = 0x811c9dc5;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  const bytes = [0x02, 0x00, (h >>> 24) & 0xff, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}
