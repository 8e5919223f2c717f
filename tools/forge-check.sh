#!/usr/bin/env bash
# CI's Forge check, offline: from a clean checkout of HEAD (npm ci, build the Custom UI as `npm run deploy` does),
# validate the manifest and run Forge's own lint; then prove the lint bites on a src file that calls fetch('/x').
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lint="$root/tools/forge/lint.js"
fail() { echo "forge-check: FAILED: $*" >&2; exit 1; }

if [ ! -f "$root/tools/forge/node_modules/@forge/cli/package.json" ]; then
  (cd "$root" && npm run tools:forge --silent)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/cc81-forge-check-XXXXXX")"
trap 'rm -rf "$work"' EXIT
app="$work/app"

echo "forge-check: clean checkout of HEAD ($(git -C "$root" rev-parse --short HEAD))"
git clone -q --no-hardlinks "$root" "$app"
(cd "$app" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error && npm run build:ui --silent) >"$work/build.log" 2>&1 ||
  { tail -30 "$work/build.log" >&2; fail "npm ci / npm run build:ui in the clean checkout"; }

echo "forge-check: @forge/manifest validate"
node "$root/tools/forge/validate-manifest.js" --app "$app" || fail "the manifest is not valid"

echo "forge-check: forge lint (offline)"
node "$lint" --app "$app" || fail "forge lint reports errors (forge deploy would refuse them)"

echo "forge-check: the lint bites (src/forge-lint-probe.ts calls fetch('/x'))"
printf "export const probe = (): Promise<Response> => fetch('/x');\n" >"$app/src/forge-lint-probe.ts"
node "$lint" --app "$app" --json >"$work/probe.json" || true
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const hit = r.problems.some((p) => p.file === "src/forge-lint-probe.ts" && p.reference === "egress-permission-required");
  if (!hit) { console.error(JSON.stringify(r, null, 2)); process.exit(1); }
' "$work/probe.json" || fail "forge lint did not report egress-permission-required for fetch('/x') in src/"

echo "forge-check: passed"
