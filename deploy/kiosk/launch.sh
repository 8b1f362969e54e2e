#!/usr/bin/env bash
# Starts the kiosk: waits for tally's screen URL, writes it into a private redirect page
# and opens that page in Chromium under cage. The token stays out of every argv.
# Environment (for tests): TALLY_SCREEN_URL_FILE, TALLY_KIOSK_DIR, TALLY_KIOSK_EXEC (the
# command to run instead of cage+chromium), TALLY_KIOSK_WAIT (seconds, default 120).
set -euo pipefail
url_file="${TALLY_SCREEN_URL_FILE:-/run/tally/screen-url}"
dir="${TALLY_KIOSK_DIR:-${XDG_RUNTIME_DIR:-/var/lib/tally-kiosk}}"
wait_s="${TALLY_KIOSK_WAIT:-120}"

for _ in $(seq "$wait_s"); do [ -s "$url_file" ] && break; sleep 1; done
[ -s "$url_file" ] || { echo "tally-kiosk: no screen URL in $url_file after ${wait_s}s (is tally.service running with --screen-url-file?)" >&2; exit 1; }
url="$(head -n1 "$url_file")"
case "$url" in
  http://127.0.0.1:*|http://localhost:*|http://\[::1\]:*) ;;
  *) echo "tally-kiosk: refusing a screen URL that is not on this device" >&2; exit 1 ;;
esac

umask 077
mkdir -p "$dir"
page="$dir/tally-screen.html"
# The URL is only ours (validated above); escape the characters that matter in a JS string.
js_url="$(printf '%s' "$url" | sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g" -e 's/</\\x3c/g')"
printf '<!doctype html><meta charset="utf-8"><title>Tally</title><script>location.replace(%s);</script>\n' "'$js_url'" > "$page"

if [ -n "${TALLY_KIOSK_EXEC:-}" ]; then
  exec "$TALLY_KIOSK_EXEC" "file://$page"
fi
browser=chromium
command -v chromium >/dev/null || browser=chromium-browser
exec cage -d -- "$browser" --kiosk --incognito --no-first-run --noerrdialogs --disable-translate \
  --disable-background-networking --disable-component-update --disable-sync --password-store=basic \
  --ozone-platform=wayland --user-data-dir="$dir/chromium" "file://$page"
