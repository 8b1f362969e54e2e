import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';

/**
 * Electron fuses for the screen, flipped in the installed Electron binary by
 * `npm run build:ui`: the binary cannot be turned into a general Node.js (RunAsNode), be
 * steered through NODE_OPTIONS or --inspect, or give file:// pages extra powers. The app is
 * loaded from ui/dist, not an asar, so the asar-only fuses stay as they are.
 */
export const SCREEN_FUSES = {
  version: FuseVersion.V1,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
} as const;

export type FlipFuses = (binary: string, config: typeof SCREEN_FUSES) => Promise<unknown>;

export async function setScreenFuses(binary: string, flip: FlipFuses = flipFuses as unknown as FlipFuses): Promise<void> {
  await flip(binary, SCREEN_FUSES);
}
