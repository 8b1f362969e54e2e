import type { WireView } from '../../../src/display/protocol.ts';

/** Red edge and "Microphone off": the screen's twin of the red mute LED. */
export function MuteOverlay({ view }: { view: WireView }) {
  if (!view.muted) return null;
  return (
    <div class="mute-edge" data-testid="mute-edge">
      <div class="mute-label" role="status">
        <div class="mute-title">Microphone off</div>
        {view.softwareMute ? <div class="mute-sub">Software mute — this board has no mic-kill switch</div> : <div class="mute-sub">The microphone is disconnected</div>}
      </div>
    </div>
  );
}
