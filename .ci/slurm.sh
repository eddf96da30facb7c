#!/usr/bin/env bash
# Submits examples/past-one-machine/slurm-transform.sbatch, as written, to a one-node Slurm cluster started here from
# Debian's slurm-wlm and munge, and checks what the example promises: the four tasks' outputs concatenate to one
# process's output byte for byte, and a task cancelled while it writes leaves nothing behind and completes when
# submitted again. The daemons (munged, slurmctld, slurmd) get their own socket, ports, configuration and state in
# one temporary folder, and are stopped at the end. Needs the umap tool's Release build (dotnet build -c Release).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
example="$root/examples/past-one-machine/slurm-transform.sbatch"
tool="$root/src/Microsoft.ML.Umap.Tool/bin/Release/net10.0/Microsoft.ML.Umap.Tool.dll"
sudo=$([ "$(id -u)" = 0 ] || echo sudo)
shard_rows=(500 900 300 24000) # the last takes long enough to be cancelled while it writes
work=""

say() { echo "slurm: $*"; }
fail() { echo "slurm: FAILED: $*" >&2; exit 1; }

# Retries the command after the first argument until it succeeds or that many seconds have passed.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

[ -f "$tool" ] || fail "no umap tool at $tool; build first: dotnet build UmapMLNet.sln -c Release"
cpus=$(nproc)
[ "$cpus" -ge 2 ] || fail "the example asks for 2 CPUs per task and this machine has $cpus"
if ! PATH="$PATH:/usr/sbin:/sbin" command -v slurmctld slurmd munged mungekey sbatch >/dev/null; then
  say "installing Debian's slurm-wlm and munge"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi

show_logs() {
  for log in "$work"/daemons/*.log "$work"/job/logs/*.log; do
    [ -f "$log" ] || continue
    echo "----- $log (last 40 lines)" >&2
    $sudo tail -n 40 "$log" >&2
  done
  echo "----- squeue, sinfo" >&2
  timeout 10 squeue >&2 || true
  timeout 10 sinfo >&2 || true
}

no_jobs() { [ -z "$(timeout 10 squeue -h -o %A "$@")" ]; }
# A daemon that has exited is gone even while it waits, a zombie, for the init process to collect it.
gone() { local state; state=$(ps -o stat= -p "$1") || return 0; [[ $state == Z* ]]; }

stop_daemon() {
  local pid_file="$work/daemons/$1.pid" pid
  pid=$($sudo cat "$pid_file" 2>/dev/null) || return 0
  $sudo kill "$pid" 2>/dev/null || return 0
  wait_for 20 gone "$pid" || say "$1 (pid $pid) did not stop within 20 s"
}

stop() {
  local status=$?
  set +e
  [ "$status" -eq 0 ] || show_logs
  if [ -f "$work/daemons/slurmctld.pid" ]; then
    # A job left running by a failure would outlive slurmd.
    timeout 10 squeue -h -o %A | xargs -r timeout 10 scancel
    wait_for 40 no_jobs || say "jobs still running while stopping"
  fi
  for daemon in slurmd slurmctld munged; do stop_daemon "$daemon"; done
  $sudo rm -rf "$work"
  [ "$status" -eq 0 ] && say "passed in $SECONDS s" || echo "slurm: FAILED after $SECONDS s" >&2
  exit "$status"
}

work=$(mktemp -d -t umap-slurm.XXXXXX)
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# munged wants every folder above its socket searchable by all, and its own folder owned by the user it runs as.
chmod 0755 "$work"
$sudo install -d -m 0755 "$work/daemons" "$work/daemons/slurmctld" "$work/daemons/slurmd"
daemons="$work/daemons"
node=$(hostname -s)
memory=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)

# Ports other than Slurm's own, so a Slurm already installed here is neither reached nor disturbed. Control groups
# may be unavailable (containers, CI sandboxes): processes are tracked by parentage and tasks are not bound.
export SLURM_CONF="$work/slurm.conf"
cat > "$SLURM_CONF" <<CONF
ClusterName=umapci
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$daemons/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$daemons/slurmctld
SlurmdSpoolDir=$daemons/slurmd
SlurmctldPidFile=$daemons/slurmctld.pid
SlurmdPidFile=$daemons/slurmd.pid
SlurmctldLogFile=$daemons/slurmctld.log
SlurmdLogFile=$daemons/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=umap Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

say "starting munged, slurmctld and slurmd: node $node, $cpus CPUs, $memory MB"
$sudo mungekey --create --keyfile="$daemons/munge.key"
$sudo munged --socket="$daemons/munge.socket" --key-file="$daemons/munge.key" --log-file="$daemons/munged.log" \
  --pid-file="$daemons/munged.pid" --seed-file="$daemons/munged.seed"
$sudo slurmctld -f "$SLURM_CONF"
wait_for 30 timeout 10 scontrol ping >/dev/null || fail "slurmctld did not answer within 30 s"
$sudo slurmd -f "$SLURM_CONF" -N "$node"
node_idle() { [ "$(timeout 10 sinfo -h -N -n "$node" -o %T)" = idle ]; }
wait_for 60 node_idle || fail "the node did not become idle within 60 s"

# 'umap' on the jobs' PATH (sbatch passes the environment on), as 'dotnet tool install' would put it.
mkdir "$work/bin"
printf '#!/bin/sh\nexec dotnet "%s" "$@"\n' "$tool" > "$work/bin/umap"
chmod +x "$work/bin/umap"
export PATH="$work/bin:$PATH"

# Five clusters in 8 columns, fitted on a sample; one process embeds every row, the job embeds four uneven shards.
job="$work/job"
mkdir -p "$job/shards"
cd "$job"
rows=0
for count in "${shard_rows[@]}"; do rows=$((rows + count)); done
LC_ALL=C awk -v rows="$rows" 'BEGIN {
  srand(7); print "id,x0,x1,x2,x3,x4,x5,x6,x7,label"
  for (i = 0; i < rows; i++) {
    c = i % 5; printf "r%d", i
    for (d = 0; d < 8; d++) printf ",%.4f", (d == c ? 6 : 0) + 2 * rand() + (d == (c + 1) % 8 ? 3 * rand() : 0)
    printf ",%d\n", c
  } }' > data.csv
first=2
for shard in "${!shard_rows[@]}"; do
  last=$((first + shard_rows[shard] - 1))
  { head -n 1 data.csv; sed -n "${first},${last}p" data.csv; } > "shards/part-$shard.csv"
  first=$((last + 1))
done
umap fit data.csv --exclude id,label --sample 2000 --seed 1 --output model.zip --quiet
umap transform data.csv --model model.zip --output one-process.csv --quiet
say "fitted on 2000 of $rows rows; one process embedded them all in one file"

# The four outputs, headers dropped after the first, must be the one process's bytes.
check_shards() {
  for shard in "${!shard_rows[@]}"; do
    [ -f "embedded/part-$shard.csv" ] || fail "$1: no embedded/part-$shard.csv"
  done
  { cat embedded/part-0.csv; for shard in 1 2 3; do tail -n +2 "embedded/part-$shard.csv"; done; } > joined.csv
  cmp joined.csv one-process.csv || fail "$1: the shards' outputs differ from one process's output"
  leftovers=$(find embedded -name '*.partial')
  [ -z "$leftovers" ] || fail "$1: temporary files left behind: $leftovers"
  say "$1: the 4 shards' outputs concatenate to one process's output, byte for byte ($(wc -c < joined.csv) bytes)"
}

# As the example's header says: submitted from the folder holding model.zip and shards/, logs/ made first.
mkdir -p logs
say "sbatch --wait $(basename "$example") (array 0-3)"
timeout 300 sbatch --wait "$example" || fail "the array job failed or did not finish within 300 s"
check_shards "array job"
cp embedded/part-3.csv part-3.first.csv
rm embedded/part-3.csv

# Task 3 again, cancelled once its temporary output holds rows.
cancelled=$(sbatch --parsable --array=3 "$example")
partial_written() {
  [ ! -f embedded/part-3.csv ] || fail "task 3 finished before it could be cancelled; give shard 3 more rows"
  partial=$(find embedded -name '.part-3.csv.*.partial' -size +0c)
  [ -n "$partial" ]
}
wait_for 120 partial_written || fail "task 3 of job $cancelled wrote nothing within 120 s"
say "scancel $cancelled while $partial holds $(stat -c %s "$partial") bytes"
scancel "$cancelled"
wait_for 60 no_jobs -j "$cancelled" || fail "job $cancelled did not end within 60 s of scancel"
timeout 10 scontrol show job "$cancelled" | grep -q "JobState=CANCELLED" || fail "job $cancelled did not end cancelled"
leftovers=$(find embedded -name 'part-3.csv' -o -name '.part-3.csv.*')
[ -z "$leftovers" ] || fail "the cancelled task left $leftovers"
say "cancelled task 3 left nothing in embedded/; its log ends:"
tail -n 3 logs/umap-transform-"$cancelled"-3.log | sed 's/^/  /'

say "sbatch --wait --array=3 $(basename "$example")"
timeout 300 sbatch --wait --array=3 "$example" || fail "the resubmitted task failed or did not finish within 300 s"
cmp embedded/part-3.csv part-3.first.csv || fail "the resubmitted task wrote other bytes than the first run"
check_shards "after the resubmission"
