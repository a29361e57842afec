#!/bin/bash
# Lighthouse (mobile and desktop) on the home page, the survey, the dashboard and a group page of a
# running service, as docs/web.md reports them. Not part of `make test`.
#
#   go run -tags nomsgpack . demo --database lh.db            # the department, waves closed (2026-oct the current)
#   go run -tags nomsgpack . wave create --database lh.db --survey digital-communications --key example --mode open
#   go run -tags nomsgpack . wave open --database lh.db example  # an open wave for the survey page
#   echo "$PASSWORD" | go run -tags nomsgpack . user add --database lh.db --email lh@example.gov.uk --role admin --password-stdin
#   go run -tags nomsgpack . serve --database lh.db &
#   LH_WAVE=2026-oct LH_EMAIL=lh@example.gov.uk LH_PASSWORD="$PASSWORD" static/lighthouse.sh http://127.0.0.1:8080 out/
#
# The dashboard needs someone signed in: the script signs in with curl and hands Lighthouse the
# session cookie. Prints one line per page and form factor: performance, accessibility, best
# practices, first and largest contentful paint, bytes.
set -euo pipefail
base=${1:?usage: lighthouse.sh BASE-URL OUT-DIR}
out=${2:?usage: lighthouse.sh BASE-URL OUT-DIR}
group=${LH_GROUP:-campaigns}
wave=${LH_WAVE:-2026-oct} # the demonstration department's current wave
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
export CHROME_PATH=${CHROME_PATH:-$(command -v chromium)}

jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
csrf=$(curl -sf -c "$jar" -b "$jar" "$base/sign-in" | grep -o 'name="csrf_token" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -sf -c "$jar" -b "$jar" -o /dev/null -H "Origin: $base" --data-urlencode "csrf_token=$csrf" \
  --data-urlencode return=/dashboard --data-urlencode "email=${LH_EMAIL:?set LH_EMAIL}" \
  --data-urlencode "password=${LH_PASSWORD:?set LH_PASSWORD}" "$base/sign-in"
cookie=$(awk '$6 ~ /skillsurvey-session$/ {print $6 "=" $7}' "$jar")

declare -A pages=([home]="/" [survey]="/waves/example" [dashboard]="/dashboard?wave=$wave" [group]="/dashboard?wave=$wave&group=$group")
for p in home survey dashboard group; do
  for form in mobile desktop; do
    args=(--quiet --only-categories=performance,accessibility,best-practices --output=json
      --output-path="$out/$p-$form.json" --chrome-flags="--headless=new --no-sandbox --disable-gpu")
    [ "$form" = desktop ] && args+=(--preset=desktop)
    case $p in dashboard | group) args+=(--extra-headers "{\"Cookie\":\"$cookie\"}") ;; esac
    # Lighthouse now and then fails to start Chromium or loses it: once more before giving up.
    "$here/node_modules/.bin/lighthouse" "$base${pages[$p]}" "${args[@]}" >/dev/null 2>&1 ||
      "$here/node_modules/.bin/lighthouse" "$base${pages[$p]}" "${args[@]}" >"$out/$p-$form.log" 2>&1 ||
      { echo "$p | $form | failed: see $out/$p-$form.log"; continue; }
    node -e '
      const r = require(process.argv[1]), c = r.categories, a = r.audits
      const pct = (k) => Math.round(c[k].score * 100)
      console.log([process.argv[2], process.argv[3], pct("performance"), pct("accessibility"), pct("best-practices"),
        a["first-contentful-paint"].displayValue, a["largest-contentful-paint"].displayValue,
        Math.round(a["total-byte-weight"].numericValue / 1024) + " KiB"].join(" | "))' "$out/$p-$form.json" "$p" "$form"
  done
done
