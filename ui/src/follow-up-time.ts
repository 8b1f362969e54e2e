/**
 * Time left in the follow-up window. The window's end is in device-clock ms; each view
 * carries the device clock at send time, so the page maps it onto its own clock instead
 * of trusting two wall clocks to agree.
 */
export function remainingFollowUpMs(endsAt: number, sync: { deviceNow: number; pageNow: number }, pageNow: number): number {
  return Math.max(0, endsAt - (sync.deviceNow + (pageNow - sync.pageNow)));
}
