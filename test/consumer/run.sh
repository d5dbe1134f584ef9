#!/usr/bin/env bash
# The library as a team gets it: packed, installed into a fresh cdktf project beside the project's own
# cdktf, constructs and providers, then type-checked under node16, nodenext and bundler resolution,
# synthesized with the compliance check and evidence, and tested with the project's own Jest.
# Installs offline, from the npm cache `npm ci` filled; downloads nothing. Run by .ci/run after npm test.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/saip-consumer-XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$root"
npm run --silent build
tarball="$(npm pack --silent --pack-destination "$work" | tail -1)"
cp -r test/consumer/project/. "$work/"
node test/consumer/lockfile.js "$work" "$tarball"
cd "$work"
npm ci --offline --no-audit --no-fund --ignore-scripts --loglevel=error
# Peer ranges: npm ls exits non-zero on a missing or unsatisfied peer dependency.
npm ls --offline --all >/dev/null
for mode in node16 nodenext bundler; do npx --offline tsc -p "tsconfig.$mode.json"; echo "types resolve under $mode"; done
# The engine's entry loads no provider package (so saip check stays light).
node -e 'require("secure-ai-platform/compliance"); const p = Object.keys(require.cache).filter((f) => f.includes("@cdktf/provider-")); if (p.length) { console.error("secure-ai-platform/compliance loaded " + p[0]); process.exit(1); }'
node app.js
test -f cdktf.out/compliance/evidence.json
npx --offline jest --ci team.test.js
echo "consumer project: ok"
