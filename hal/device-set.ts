import type { Button } from './button.ts';
import type { Led } from './led.ts';
import type { LightRing } from './light-ring.ts';
import type { Microphone } from './microphone.ts';
import type { Relay } from './relay.ts';
import type { TonePlayer } from './tone-player.ts';

/**
 * The devices a board provides, one per role. Optional roles are absent on boards that
 * lack them (the `desktop` board has no relay: its mute is software-only).
 */
export interface DeviceSet {
  microphone: Microphone;
  relay?: Relay;
  muteLed?: Led;
  ring?: LightRing;
  actionButton?: Button;
  muteButton?: Button;
  tones?: TonePlayer;
  /** Closes every device; the relay is left open (mic unpowered). */
  close(): Promise<void>;
}
