#!/usr/bin/env bash
# The scale-out path against a real Slurm (issue 13): brings up a single-node cluster on this machine
# (scripts/slurm-local.sh), submits a 4-task sharded bench of the regression set plus its merge
# through `npm run slurm -- bench ... --submit`, waits for both with squeue, and checks that the
# merged run equals a one-machine `npm run bench` of the same options, byte for byte except timing
# columns (scripts/same-run.ts). Prints the time of each step. Needs root and apt (.ci/run skips it
# otherwise). Stops the daemons it started on exit, whatever happens.
#   scripts/slurm-e2e.sh            work folder: a new /tmp/siambench-slurm-e2e.*, removed on success
#   SLURM_E2E_TIMEOUT=900 scripts/slurm-e2e.sh
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$(pwd)"
TIMEOUT="${SLURM_E2E_TIMEOUT:-600}"
WORK="$(mktemp -d /tmp/siambench-slurm-e2e.XXXXXX)"
START=$SECONDS
STEP_START=$SECONDS
TIMES=()

say() { echo "slurm-e2e: $*"; }
fail() {
  echo "slurm-e2e: FAILED: $*" >&2
  exit 1
}
step_done() {
  TIMES+=("$1 $((SECONDS - STEP_START)) s")
  say "$1: $((SECONDS - STEP_START)) s"
  STEP_START=$SECONDS
}
cleanup() {
  local status=$?
  scripts/slurm-local.sh down || true
  if [ "$status" = 0 ]; then rm -rf "$WORK"; else echo "slurm-e2e: kept $WORK (logs in $WORK/sharded/slurm/logs)" >&2; fi
}
trap cleanup EXIT

scripts/slurm-local.sh install
step_done "install (apt)"
scripts/slurm-local.sh up
step_done "cluster up"

# The regression set (npm run regress's data, 6 sequences x 40 frames) with the built-in trackers,
# one worker of one ORT thread per task; the one-machine run takes the same options, since run.json
# records the concurrency and threads.
npm run --silent generate -- --preset regress --splits test >/dev/null
OPTIONS=(--dataset synthetic --root "$REPO/data/synthetic-regress" --convention otb --seed 1 --concurrency 1 --threads 1)

npm run --silent slurm -- bench "${OPTIONS[@]}" --out "$WORK/sharded" --shards 4 --submit | tee "$WORK/submit.txt"
IDS="$(sed -n 's/^submitted: bench array \([0-9]*\), merge \([0-9]*\).*/\1 \2/p' "$WORK/submit.txt")"
[ -n "$IDS" ] || fail "npm run slurm printed no job ids"
read -r ARRAY MERGE <<<"$IDS"

# Without accounting there is no sacct: squeue while the jobs are known, then scontrol (which keeps
# finished jobs for MinJobAge, 300 s) for how each ended.
while [ -n "$(squeue -h -j "$ARRAY,$MERGE" -o '%i' 2>/dev/null)" ]; do
  [ $((SECONDS - STEP_START)) -lt "$TIMEOUT" ] || fail "jobs $ARRAY, $MERGE still queued after ${TIMEOUT}s: $(squeue -h -j "$ARRAY,$MERGE" -o '%i %T %r' | tr '\n' ';')"
  say "$((SECONDS - STEP_START)) s: $(squeue -h -r -j "$ARRAY,$MERGE" -o '%T' | sort | uniq -c | awk '{printf "%s %s, ", $1, tolower($2)}')"
  sleep 5
done
step_done "sharded bench on Slurm (4 tasks + merge)"
STATES="$( (scontrol -o show job "$ARRAY" && scontrol -o show job "$MERGE") 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort | uniq -c | tr -s ' \n' ' ')"
say "job states: $STATES"
for f in "$WORK"/sharded/slurm/logs/*.out; do
  grep -q . "$f" || continue
  echo "--- ${f##*/} (last lines)"
  tail -n 3 "$f"
done
scontrol -o show job "$MERGE" | grep -q 'JobState=COMPLETED' || fail "the merge job $MERGE did not complete ($STATES): see $WORK/sharded/slurm/logs"

npm run --silent bench -- "${OPTIONS[@]}" --out "$WORK/one" >"$WORK/one.txt" 2>"$WORK/one.err" || fail "one-machine bench: $(tail -n 1 "$WORK/one.err")"
step_done "one-machine bench"
npx tsx scripts/same-run.ts "$WORK/one" "$WORK/sharded"

say "passed in $((SECONDS - START)) s: $(IFS=';'; echo "${TIMES[*]}")"
