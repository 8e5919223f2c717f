#!/usr/bin/env bash
# CI's Forge check, offline: from a clean checkout of HEAD (npm ci, build the Custom UI as `npm run deploy` does),
# validate the manifest and run Forge's own lint (Jira REST scopes checked against ../shared/jira-openapi); then
# prove the lint bites: fetch('/x') and a Jira call needing a scope the manifest lacks, in src/, must be errors.
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
node "$lint" --app "$app" --require-rest-scopes || fail "forge lint reports errors (forge deploy would refuse them)"

echo "forge-check: the lint bites (src/forge-lint-probe.ts: fetch('/x'); POST /rest/api/3/component, which needs manage:jira-project)"
cat >"$app/src/forge-lint-probe.ts" <<'TS'
import api, { route } from '@forge/api';
export const probe = (): Promise<Response> => fetch('/x');
export const probeScope = () => api.asApp().requestJira(route`/rest/api/3/component`, { method: 'POST' });
TS
node "$lint" --app "$app" --require-rest-scopes --json >"$work/probe.json" || true
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const got = (ref) => r.problems.some((p) => p.file === "src/forge-lint-probe.ts" && p.severity === "error" && p.reference === ref);
  const missing = ["egress-permission-required", "permission-scope-required"].filter((ref) => !got(ref));
  if (missing.length > 0) { console.error("missing: " + missing.join(", ")); console.error(JSON.stringify(r, null, 2)); process.exit(1); }
' "$work/probe.json" || fail "forge lint did not report the probe's errors in src/ (forge deploy would not refuse them)"

echo "forge-check: passed"
