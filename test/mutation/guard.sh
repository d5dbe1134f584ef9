#!/usr/bin/env bash
# CI's mutation guard: mutation-tests the engine, rule, report and config files changed since the committed
# incremental report (test/mutation/stryker-incremental.json) was written, and prints their score against the
# target (90%; 85% when a rule changed). It fails below the target only with SAIP_MUTATION_ENFORCE=1: the
# measured baselines are still under the targets (README, "Mutation testing"), so enforcing now would fail
# every change to those files for survivors it did not add. Stryker reuses every result of unchanged code from that
# report, so the cost is the changed files' mutants and one run of their related tests.
#
# "A change", on a clean clone, is what `git diff` shows between the commit that last wrote the report and
# HEAD, plus uncommitted edits. When nothing in scope changed, this costs one git command. When more files
# changed than fit CI's time (MAX_FILES, or MUTATION_TIMEOUT), it says so and how to run the tests before
# merging, and does not fail: the README's "Mutation testing" section is the rule then.
set -euo pipefail
cd "$(dirname "$0")/../.."

REPORT=test/mutation/stryker-incremental.json
MAX_FILES=${MUTATION_MAX_FILES:-6}
TIMEOUT=${MUTATION_TIMEOUT:-900}
SCOPE='^(lib/(compliance|terraform|report|rules)|stacks/config)/.*\.ts$'

if [ "$(git rev-parse --is-shallow-repository 2>/dev/null)" = true ]; then
  echo "mutation guard: a shallow clone; the commit that wrote $REPORT may be missing, so changes before the clone's first commit are not seen"
fi
base=$(git log -1 --format=%H -- "$REPORT" 2>/dev/null || true)
if [ -z "$base" ]; then
  echo "mutation guard: no committed $REPORT; run 'npm run test:mutation' and commit it"
  exit 0
fi
mapfile -t changed < <({ git diff --name-only "$base" HEAD; git diff --name-only HEAD; } | sort -u | grep -E "$SCOPE" | while read -r f; do [ -f "$f" ] && echo "$f"; done || true)
if [ "${#changed[@]}" -eq 0 ]; then
  echo "mutation guard: no engine, rule, report or config source changed since ${base:0:12} (the incremental report's commit)"
  exit 0
fi
if [ "${#changed[@]}" -gt "$MAX_FILES" ]; then
  echo "mutation guard: ${#changed[@]} files changed since ${base:0:12}, more than CI's budget of $MAX_FILES;"
  echo "  run 'npm run test:mutation -- --mutate <folder>/**/*.ts' per folder before merging, and commit $REPORT"
  exit 0
fi
target=90
if printf '%s\n' "${changed[@]}" | grep -q '^lib/rules/'; then target=85; fi
echo "mutation guard: ${changed[*]} (target $target%$([ "${SAIP_MUTATION_ENFORCE:-0}" = 1 ] && echo ", enforced"))"
mutate=$(IFS=,; echo "${changed[*]}")
set +e
if [ "${SAIP_MUTATION_ENFORCE:-0}" = 1 ]; then export SAIP_MUTATION_BREAK=$target; fi
timeout --kill-after=30 "$TIMEOUT" npx stryker run --mutate "$mutate" --reporters clear-text,json
status=$?
set -e
if [ "$status" -eq 124 ]; then
  echo "mutation guard: over ${TIMEOUT}s; run 'npm run test:mutation -- --mutate \"$mutate\"' before merging"
  exit 0
fi
exit "$status"
