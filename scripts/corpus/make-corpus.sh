#!/usr/bin/env bash
# Synthesizes Tally's own wake-word corpus with espeak-ng and sox: license-clean,
# reproducible, no downloads.
#
#   scripts/corpus/make-corpus.sh [--size ci|full] [--out DIR] [--word alexa]
#
# Layout of DIR (default .wake-corpus/, git-ignored; never commit generated audio):
#   positive/<word>/*.wav          clean utterances, 1 s of silence either side
#   positive-reverb/<word>/*.wav   the same through sox reverb (room simulation)
#   positive-snr10/<word>/*.wav    clean positives + pink noise at 10 dB SNR (sox mix)
#   negative/*.wav                 ~60 s files of ordinary speech without the wake word
#   negative-confusable/*.wav      ~60 s files dense with near-misses (Alexander, Alexandra,
#                                  Alaska, "relax a", "a lexicon" ...): a stress test,
#                                  reported separately from the ordinary-speech FA/h
#   playback/*.wav                 device-reply-like speech that CONTAINS the wake word
#                                  (for the self-wake measurement)
#   noise/{pink,brown,white}.wav   60 s noise beds for `tally wake-eval --noise`
# All audio is 16 kHz mono 16-bit PCM. The size "ci" is a small slice for tests;
# "full" is what the benchmark uses (~300 positives, ~1 h of negatives).
set -euo pipefail

SIZE=ci
OUT=.wake-corpus
WORD=alexa
while [ $# -gt 0 ]; do
  case "$1" in
    --size) SIZE="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --word) WORD="$2"; shift 2 ;;
    *) echo "error CORPUS_BAD_ARG: unknown argument $1 (valid: --size ci|full, --out DIR, --word NAME)" >&2; exit 2 ;;
  esac
done
case "$SIZE" in
  ci) N_POS=24; N_NEG=4; N_CONF=1; N_PLAY=6 ;;
  full) N_POS=300; N_NEG=60; N_CONF=10; N_PLAY=60 ;;
  *) echo "error CORPUS_BAD_SIZE: unknown size $SIZE (valid: ci, full)" >&2; exit 2 ;;
esac
for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "error CORPUS_TOOL_MISSING: $tool not installed (apt-get install espeak-ng sox)" >&2; exit 3; }
done

HERE="$(cd "$(dirname "$0")" && pwd)"
SENTENCES="$HERE/negative-sentences.txt"
CONFUSABLES="$HERE/confusable-sentences.txt"
case "$WORD" in
  alexa) SPOKEN="Alexa" ;;
  hey_jarvis) SPOKEN="Hey Jarvis" ;;
  hey_mycroft) SPOKEN="Hey, my croft" ;;
  hey_rhasspy) SPOKEN="Hey Rhasspy" ;;
  *) SPOKEN="${WORD//_/ }" ;;
esac
COMMANDS=("" ", what time is it?" ", turn on the kitchen lights." ", play some music." ", what's the weather?" ", set a timer for ten minutes.")
VOICES=(en-us en-gb en-gb-scotland en-gb-x-rp en-gb-x-gbclan en-gb-x-gbcwmd en-029 en-us-nyc)
VARIANTS=("" +m1 +m3 +m7 +f1 +f2 +f3 +f4 +klatt)
SPEEDS=(120 140 160 175 190)
PITCHES=(30 40 50 60 75)

RANDOM=4242  # deterministic choices: the same corpus on every machine with the same espeak-ng
# Sets PICKED. Never call it in $(...): bash reseeds RANDOM in subshells, which would
# make the corpus differ from run to run.
pick() { local -n arr=$1; PICKED="${arr[$((RANDOM % ${#arr[@]}))]}"; }
voice() { pick VOICES; local v="$PICKED"; pick VARIANTS; VOICE="$v$PICKED"; pick SPEEDS; SPEED="$PICKED"; pick PITCHES; PITCH="$PICKED"; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# espeak-ng speaks at 22.05 kHz: convert to the device format.
speak() { # voice speed pitch text out [extra sox effects...]
  local v="$1" s="$2" p="$3" text="$4" out="$5"; shift 5
  espeak-ng -v "$v" -s "$s" -p "$p" -w "$TMP/raw.wav" "$text"
  sox -R -q "$TMP/raw.wav" -r 16000 -c 1 -b 16 -e signed-integer "$out" "$@"
}
rms() { sox "$1" -n stat 2>&1 | awk '/RMS +amplitude/ {print $3}'; }

mkdir -p "$OUT/positive/$WORD" "$OUT/positive-reverb/$WORD" "$OUT/positive-snr10/$WORD" "$OUT/negative" "$OUT/negative-confusable" "$OUT/playback" "$OUT/noise"

for kind in pink brown white; do
  sox -R -q -n -r 16000 -c 1 -b 16 "$OUT/noise/$kind.wav" synth 60 "${kind}noise" vol 0.3
done

echo "positives ($N_POS)…" >&2
printf 'file\tvoice\tspeed\tpitch\ttext\n' > "$OUT/positive/$WORD/index.tsv"
for i in $(seq -w 1 "$N_POS"); do
  voice; v="$VOICE"; s="$SPEED"; p="$PITCH"; pick COMMANDS; c="$PICKED"
  f="$WORD-$i.wav"
  speak "$v" "$s" "$p" "$SPOKEN$c" "$OUT/positive/$WORD/$f" pad 1.0 1.0
  printf '%s\t%s\t%s\t%s\t%s\n' "$f" "$v" "$s" "$p" "$SPOKEN$c" >> "$OUT/positive/$WORD/index.tsv"
  sox -R -q "$OUT/positive/$WORD/$f" "$OUT/positive-reverb/$WORD/$f" reverb $((30 + RANDOM % 50)) 50 $((40 + RANDOM % 60))
  # 10 dB SNR: scale pink noise so that rms(speech)/rms(noise) = 10^(10/20) over the file.
  len=$(soxi -D "$OUT/positive/$WORD/$f")
  off=$((RANDOM % 50))
  sox -R -q "$OUT/noise/pink.wav" "$TMP/bed.wav" trim "$off" "$len"
  gain=$(awk -v s="$(rms "$OUT/positive/$WORD/$f")" -v n="$(rms "$TMP/bed.wav")" 'BEGIN { printf "%.6f", (s / n) / 10^(10/20) }')
  sox -R -q -m -v 1 "$OUT/positive/$WORD/$f" -v "$gain" "$TMP/bed.wav" "$OUT/positive-snr10/$WORD/$f"
done

negatives() { # sentence-file count out-dir prefix
  local lines_file="$1" count="$2" dir="$3" prefix="$4"
  mapfile -t LINES < "$lines_file"
  for i in $(seq -w 1 "$count"); do
    voice; v="$VOICE"; s="$SPEED"; p="$PITCH"
    : > "$TMP/text.txt"
    for _ in $(seq 1 24); do pick LINES; echo "$PICKED" >> "$TMP/text.txt"; done
    espeak-ng -v "$v" -s "$s" -p "$p" -w "$TMP/raw.wav" -f "$TMP/text.txt"
    sox -R -q "$TMP/raw.wav" -r 16000 -c 1 -b 16 -e signed-integer "$dir/$prefix-$i.wav" pad 0.5 0.5
  done
}
echo "negatives ($N_NEG × ~60 s, $N_CONF confusable)…" >&2
negatives "$SENTENCES" "$N_NEG" "$OUT/negative" neg
negatives "$CONFUSABLES" "$N_CONF" "$OUT/negative-confusable" conf

echo "playback ($N_PLAY)…" >&2
REPLIES=("You can wake me by saying $SPOKEN." "I heard $SPOKEN, how can I help?" "To set a timer, say $SPOKEN, set a timer." "$SPOKEN is my wake word. Say $SPOKEN and then your question." "Okay. Next time just say $SPOKEN.")
for i in $(seq -w 1 "$N_PLAY"); do
  voice; pick REPLIES
  speak "$VOICE" "$SPEED" "$PITCH" "$PICKED" "$OUT/playback/reply-$i.wav" pad 0.3 0.3
done

{
  echo "tally wake corpus: size=$SIZE word=$WORD"
  espeak-ng --version | head -1
  sox --version | head -1
  for d in positive positive-reverb positive-snr10; do echo "$d: $(ls "$OUT/$d/$WORD"/*.wav | wc -l) files"; done
  echo "negative: $(ls "$OUT/negative" | wc -l) files, $(soxi -DT "$OUT"/negative/*.wav) s"
  echo "negative-confusable: $(ls "$OUT/negative-confusable" | wc -l) files, $(soxi -DT "$OUT"/negative-confusable/*.wav) s"
  echo "playback: $(ls "$OUT/playback" | wc -l) files, $(soxi -DT "$OUT"/playback/*.wav) s"
} > "$OUT/manifest.txt"
cat "$OUT/manifest.txt" >&2
