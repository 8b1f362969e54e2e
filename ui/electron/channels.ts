/**
 * The one IPC channel map between the screen (preload) and Electron's main process.
 * Every channel is listed here with its argument types; main validates the sender and
 * the arguments of each message, and ignores any channel not listed.
 */
export interface ScreenToMain {
  /** The scan panel opened or closed the camera: only then may the camera be granted. */
  'scan:set-open': [open: boolean];
}

export type ChannelName = keyof ScreenToMain;

export const CHANNEL_VALIDATORS: { [K in ChannelName]: (args: unknown[]) => args is ScreenToMain[K] } = {
  'scan:set-open': (args): args is [boolean] => args.length === 1 && typeof args[0] === 'boolean',
};
