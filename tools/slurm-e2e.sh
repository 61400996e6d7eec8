#!/usr/bin/env bash
# The SLURM path of docs/cluster.md run for real: a one-node SLURM on this machine runs
# docs/cluster/slurm-shards.sh as an array job over a small sweep, one array task is cancelled
# mid-run and requeued, and the merged result must equal the same sweep run in one process
# (every metrics.csv, events.jsonl and multipliers.jsonl byte-identical, the same summary.json arms).
#
#   sudo bash tools/slurm-e2e.sh            # as root, on Debian, after npm ci && npm run build
#
# Installs slurm-wlm and munge with apt-get when missing; starts munged (unless one runs),
# slurmctld and slurmd (on loopback, ports 16817/16818, state under the work folder) and stops
# everything it started, on success or failure. The work folder (WORK: new or empty; default a new
# folder under /tmp) is removed on success and kept on failure. Takes 2-4 minutes on 2 cores.
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$PWD
# Removed on success: a folder given as WORK must be new or empty, never one holding anything else.
if [ -n "${WORK:-}" ] && [ -e "$WORK" ] && [ -n "$(ls -A "$WORK")" ]; then
  echo "FAIL: WORK=$WORK is not empty; give a new or empty folder (it is removed on success)" >&2
  exit 1
fi
WORK=${WORK:-$(mktemp -d /tmp/diffstruct-slurm-e2e.XXXXXX)}
mkdir -p "$WORK"
SHARDS=3
CTLD_PORT=16817
SLURMD_PORT=16818

say() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
shown() { printf '$ %s\n' "$*"; "$@"; }

[ "$(id -u)" = 0 ] || fail "run as root: it installs packages and starts the SLURM daemons"
[ -f packages/cli/dist/main.js ] || fail "build first: npm ci && npm run build"
diffstruct() { node "$REPO/packages/cli/bin/diffstruct.js" "$@"; }

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  say "installing slurm-wlm and munge"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi

started_munge=""
cleanup() {
  local status=$?
  set +e
  if [ -n "${SLURM_CONF:-}" ]; then
    [ -n "${ARRAY_JOB:-}" ] && scancel "$ARRAY_JOB" 2>/dev/null
    for daemon in slurmd slurmctld; do
      [ -f "$WORK/$daemon.pid" ] && kill "$(cat "$WORK/$daemon.pid")" 2>/dev/null
    done
  fi
  [ -n "$started_munge" ] && kill "$(cat /run/munge/munged.pid)" 2>/dev/null
  if [ "$status" = 0 ]; then rm -rf "$WORK"; else echo "kept for inspection: $WORK (slurm logs in $WORK/log)" >&2; fi
}
trap cleanup EXIT

say "starting munge and a one-node SLURM ($(slurmctld -V))"
if ! munge -n >/dev/null 2>&1; then
  [ -f /etc/munge/munge.key ] || mungekey --create --keyfile /etc/munge/munge.key
  chown munge:munge /etc/munge/munge.key && chmod 600 /etc/munge/munge.key
  mkdir -p /run/munge && chown munge:munge /run/munge
  runuser -u munge -- /usr/sbin/munged
  started_munge=yes
fi
mkdir -p "$WORK/state" "$WORK/spool" "$WORK/log"
NODE=$(hostname -s)
cat >"$WORK/slurm.conf" <<EOF
ClusterName=diffstruct-e2e
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
AuthType=auth/munge
SlurmUser=root
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
# No cgroups in a container: track a job's processes by their parents, bind nothing.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=e2e Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$WORK/slurm.conf
/usr/sbin/slurmctld
/usr/sbin/slurmd
for _ in $(seq 60); do
  [ "$(sinfo -h -o %t 2>/dev/null)" = idle ] && break
  sleep 1
done
shown sinfo
[ "$(sinfo -h -o %t)" = idle ] || fail "the node did not come up (see $WORK/log; are ports $CTLD_PORT/$SLURMD_PORT free?)"

say "the sweep: 2 arms × 3 seeds on the hard task, as one process (the reference)"
cat >"$WORK/sweep.yaml" <<'EOF'
name: slurm-e2e
seeds: 3
cycles: 300000
task: hard
log: { every: 1000 }
checkpoint: { every: 10000 }
sweep:
  policy.threshold: [0.05, 0.1]
EOF
shown diffstruct run "$WORK/sweep.yaml" --workers 2 --out "$WORK/reference" 2>&1 | grep -E "^done in|seeds, cycle"

say "the same sweep as a SLURM array job of $SHARDS shards into one shared folder"
SHARED=$WORK/shared
export CONFIG=$WORK/sweep.yaml OUT=$SHARED
# --array/--cpus-per-task/--output override the script's #SBATCH lines: 3 shards of one core on this small node.
ARRAY_JOB=$(sbatch --parsable --array=1-$SHARDS --cpus-per-task=1 --output="$WORK/log/%x-%a.out" docs/cluster/slurm-shards.sh)
echo "\$ sbatch --parsable --array=1-$SHARDS --cpus-per-task=1 --output=\$WORK/log/%x-%a.out docs/cluster/slurm-shards.sh → $ARRAY_JOB"

task_state() { scontrol show job "${ARRAY_JOB}_$1" 2>/dev/null | grep -o 'JobState=[A-Z]*' | cut -d= -f2; }
# Shard 2 of 3 runs jobs 1 and 4 (round-robin over threshold-0.05 seeds 0-2, threshold-0.1 seeds 0-2).
VICTIM=$SHARED/threshold-0.05/seed-1
for _ in $(seq 300); do
  [ -f "$VICTIM/checkpoint.json" ] && break
  sleep 0.2
done
[ -f "$VICTIM/checkpoint.json" ] || fail "shard 2 did not reach its first checkpoint (see $WORK/log)"
say "cancel shard 2 mid-run"
shown scancel "${ARRAY_JOB}_2"
for _ in $(seq 60); do
  [ "$(task_state 2)" = CANCELLED ] && break
  sleep 0.5
done
[ "$(task_state 2)" = CANCELLED ] || fail "shard 2 is $(task_state 2), not CANCELLED"
echo "shard 2: $(task_state 2) at cycle $(tail -1 "$VICTIM/metrics.csv" | cut -d, -f1) of 300000"
[ -f "$VICTIM/checkpoint.json" ] && ! grep -q '"finished": *true' "$VICTIM/result.json" 2>/dev/null || fail "the cancelled seed has no checkpoint or had finished: nothing to resume"
shown squeue

say "report while shards run: it lists the jobs in flight, stopped and not started, exit 3"
set +e
diffstruct report "$SHARED" --table >/dev/null 2>"$WORK/partial-report.txt"
partial=$?
set -e
echo "\$ diffstruct report \$WORK/shared --table   (exit $partial)"
sed -n '/^incomplete/,$p' "$WORK/partial-report.txt"
[ "$partial" = 3 ] && grep -q 'stopped with a checkpoint.*threshold-0.05 seed 1' "$WORK/partial-report.txt" || fail "report of a sweep in flight did not say so"

say "requeue shard 2"
shown scontrol requeue "${ARRAY_JOB}_2"
# A requeued job waits 2 minutes before it may start again (SLURM's default); start it now.
shown scontrol update JobId="${ARRAY_JOB}_2" StartTime=now

say "waiting for every array task"
for _ in $(seq 900); do
  [ -z "$(squeue -h -j "$ARRAY_JOB" 2>/dev/null)" ] && break
  sleep 1
done
[ -z "$(squeue -h -j "$ARRAY_JOB")" ] || fail "array job $ARRAY_JOB still running after 15 minutes"
for i in $(seq $SHARDS); do
  line=$(scontrol show job "${ARRAY_JOB}_$i" | grep -o 'JobState=[A-Z]* .*\|Restarts=[0-9]*\|ExitCode=[0-9:]*' | tr '\n' ' ')
  echo "task $i: $line"
done
for i in $(seq $SHARDS); do [ "$(task_state "$i")" = COMPLETED ] || fail "array task $i ended $(task_state "$i")"; done
grep -h 'shard .* done\|resum' "$WORK"/log/*.out | sed 's/^/  log: /' || true

say "report on the shared folder, and the comparison with the one-process run"
shown diffstruct report "$SHARED" 2>&1 | grep -E "^  threshold|^incomplete|^warning"
shown diffstruct report "$SHARED" --table
identical=0
for reference in "$WORK"/reference/*/seed-*; do
  sharded=$SHARED/${reference#"$WORK"/reference/}
  for file in metrics.csv events.jsonl multipliers.jsonl; do
    cmp -s "$reference/$file" "$sharded/$file" || fail "$sharded/$file differs from the one-process run's"
    identical=$((identical + 1))
  done
done
[ "$identical" = 18 ] || fail "compared $identical files, expected 18 (2 arms × 3 seeds × 3)"
node -e '
  const [a, b] = process.argv.slice(1).map((f) => JSON.parse(require("fs").readFileSync(f, "utf8")));
  if (JSON.stringify(a.arms) !== JSON.stringify(b.arms)) { console.error("summary.json arms differ"); process.exit(1); }
' "$WORK/reference/summary.json" "$SHARED/summary.json" || fail "the merged summary differs from the one-process run's"
echo "18 of 18 files byte-identical (6 seeds × metrics.csv, events.jsonl, multipliers.jsonl), the cancelled and requeued seed among them; summary.json arms equal"
say "PASS"
