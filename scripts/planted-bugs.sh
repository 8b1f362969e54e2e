#!/usr/bin/env bash
# Plants one deliberate bug at a time in a throw-away copy of the project and checks that
# the model-based invariant test catches it. Prints one JSON line per bug:
# {"bug","caught","seconds"}. Usage: bash scripts/planted-bugs.sh [RUNS]
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-1000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

plant() { # name file python-replace-old python-replace-new
  local name=$1 file=$2 old=$3 new=$4
  # PLANT_ONLY=a,b runs only the named bugs.
  if [ -n "${PLANT_ONLY:-}" ] && [[ ",$PLANT_ONLY," != *",$name,"* ]]; then return; fi
  rm -rf "$work/p" && mkdir -p "$work/p"
  (cd "$root" && git ls-files -z --cached --others --exclude-standard | grep -zv '^node_modules/' | tar --null -T - -cf - 2>/dev/null) | tar -xf - -C "$work/p"
  ln -s "$root/node_modules" "$work/p/node_modules"
  OLD="$old" NEW="$new" python3 - "$work/p/$file" <<'PY'
import os, sys
p = sys.argv[1]; s = open(p).read(); old = os.environ['OLD']
if old not in s: sys.exit('planted-bugs: pattern not found in ' + p)
open(p, 'w').write(s.replace(old, os.environ['NEW'], 1))
PY
  local start=$(date +%s.%N)
  if (cd "$work/p" && TALLY_PBT_RUNS=$runs npx vitest run test/property >"$work/out.txt" 2>&1); then caught=false; else caught=true; fi
  local secs=$(echo "$(date +%s.%N) - $start" | bc)
  local why=$(sed 's/\x1b\[[0-9;]*m//g' "$work/out.txt" | grep -oE '(I[1-8]|E1|P[1-3]|D1):[^"]{0,90}' | head -1 | tr -d '"\\')
  printf '{"bug":"%s","caught":%s,"seconds":%.1f,"violation":"%s"}\n' "$name" "$caught" "$secs" "$why"
}

plant mute-does-not-stop-capture src/core/gate/privacy-gate.ts \
  'return !this.#stopped && !view.muted && view.micPowered && ' 'return !this.#stopped && '
plant no-indicator-wait src/core/gate/privacy-gate.ts \
  'this.#d.feedback.whenAcknowledged(view.version, this.#d.settings().indicatorAckBudgetMs).then(' 'Promise.resolve().then('
plant pre-roll-one-sample-short src/core/gate/privacy-gate.ts \
  'const preRoll = this.#preRoll.snapshot();' 'const preRoll = this.#preRoll.snapshot().subarray(1);'
plant drops-audio-while-awaiting-indicator src/core/gate/privacy-gate.ts \
  "if (s.phase === 'awaiting-indicator') s.pending.push(outgoing.slice());" "if (s.phase === 'awaiting-indicator') void 0;"
plant no-max-duration src/core/attention/transition-draft.ts \
  "this.set('max-duration', ctx.settings.maxStreamMs);" ''
plant machine-ignores-relay-fault src/core/attention/transition.ts \
  "if (!d.s.fault?.latched) d.s.fault = { code: e.code, message: e.message, ...(e.latched ? { latched: true } : {}) };" ''
plant service-loss-keeps-stream src/core/attention/transition.ts \
  "if (s.stream) d.closeStream('service-lost');" ''
plant reconnect-opens-stream src/core/attention/transition.ts \
  "      s.online = true;
      return;" "      s.online = true;
      if (d.canOpen() && !s.stream) d.startStream('button');
      return;"
plant follow-up-ignores-setting src/core/attention/transition.ts \
  "if (d.ctx.settings.followUp && d.canOpen()) d.openFollowUp();" "if (d.canOpen()) d.openFollowUp();"
plant egress-not-cross-checked src/core/gate/privacy-gate.ts \
  '    s.voice!.write(samples);
    this.#crossCheck(s);' '    s.voice!.write(samples);'
plant egress-fault-clears-on-relay src/core/attention/transition.ts \
  "if (!d.s.fault?.latched) d.s.fault = null;" "d.s.fault = null;"
plant deafness-ignores-live-signal src/core/gate/privacy-gate.ts \
  "    if (livePeak > NOISE_FLOOR) return 'live';" ''
plant schedule-does-not-mute src/core/attention/view.ts \
  "return s.muted || (s.scheduled && !(settings.scheduleAllowsPushToTalk && s.held));" "return s.muted;"
plant push-to-talk-opens-with-button-up src/core/attention/transition-draft.ts \
  "s.online && (!this.ptt() || s.held);" "s.online;"
plant push-to-talk-feeds-wake-word src/core/gate/privacy-gate.ts \
  "if (!view.pushToTalk) this.#d.wake?.push(cleaned);" "this.#d.wake?.push(cleaned);"
