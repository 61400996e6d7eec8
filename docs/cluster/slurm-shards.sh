#!/bin/bash
# One shard of a diffstruct experiment per SLURM array task, all writing to one shared folder.
#   jobid=$(sbatch --parsable docs/cluster/slurm-shards.sh)
#   sbatch --dependency=afterany:$jobid --wrap "npx diffstruct report /shared/runs/threshold-sweep"
# A preempted or requeued task continues from its checkpoints (SIGTERM writes them); its log keeps
# every attempt (--open-mode=append). Make the logs folder first (mkdir -p logs): SLURM does not.
#SBATCH --job-name=diffstruct-shards
#SBATCH --array=1-8
#SBATCH --cpus-per-task=2
#SBATCH --time=02:00:00
#SBATCH --requeue
#SBATCH --output=logs/%x-%a.out
#SBATCH --open-mode=append
set -euo pipefail

CONFIG=${CONFIG:-configs/sweeps/threshold.yaml}
OUT=${OUT:-/shared/runs/threshold-sweep}
SHARD="${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}"   # array ids start at 1, like shards
WORKERS=${SLURM_CPUS_PER_TASK:-2}

cd "${SLURM_SUBMIT_DIR:-.}"
# The bin itself, not npx: on scancel or preemption SLURM sends SIGTERM, and npx exits on it without
# passing it on, leaving the run going unseen and without its checkpoints.
DIFFSTRUCT=${DIFFSTRUCT:-node_modules/.bin/diffstruct}
if [ -f "$OUT/config.yaml" ]; then
  # Another shard (or this one, before a requeue) has started: continue this shard's seeds.
  exec "$DIFFSTRUCT" run --resume "$OUT" --shard "$SHARD" --workers "$WORKERS"
fi
exec "$DIFFSTRUCT" run "$CONFIG" --shard "$SHARD" --workers "$WORKERS" --out "$OUT"
