// The deployment gate's curl example: the README shows it, the admin page fills in the URL, and
// tests run it against the sandbox. Wire format: src/deployments/gate-signature.ts. Pure; no imports.

/** The CI variables the example reads: the token (a masked secret) and what the pipeline knows. */
export const GATE_EXAMPLE_VARIABLES = ['CC81_GATE_URL', 'CC81_GATE_TOKEN', 'CHANGE_KEY', 'DEPLOY_ENV', 'GIT_SHA', 'DEPLOYER'] as const;

/**
 * POSIX sh with jq, openssl and curl. The secret is the token after its last `_`; the signature is
 * `sha256=` and the hex HMAC-SHA256 of `<timestamp>.<nonce>.<body>` keyed with it; the body sent is
 * byte for byte the body signed. curl exits 22 when the gate denies (403), which fails the job.
 * `url`: the gate's URL as a shell word (quoted), or `"$CC81_GATE_URL"`.
 */
export const gateCurlExample = (url = '"$CC81_GATE_URL"'): string =>
  [
    'secret="${CC81_GATE_TOKEN##*_}"',
    'body=$(jq -cn --arg key "$CHANGE_KEY" --arg env "$DEPLOY_ENV" --arg sha "$GIT_SHA" --arg who "$DEPLOYER" \\',
    "  '{changeKey: $key, environment: $env, sha: $sha, deployer: $who}')",
    'ts=$(date +%s)',
    'nonce=$(openssl rand -hex 16)',
    `sig=$(printf '%s.%s.%s' "$ts" "$nonce" "$body" | openssl dgst -sha256 -hmac "$secret" | sed 's/^.* //')`,
    `curl -sS --fail-with-body -X POST ${url} \\`,
    `  -H "Authorization: Bearer $CC81_GATE_TOKEN" -H 'Content-Type: application/json' \\`,
    '  -H "X-CC81-Timestamp: $ts" -H "X-CC81-Nonce: $nonce" -H "X-CC81-Signature: sha256=$sig" \\',
    '  --data-raw "$body"',
    '',
  ].join('\n');
