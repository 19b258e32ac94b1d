#!/usr/bin/env bash
# Real Slurm end-to-end check on one machine (root; Debian 12):
#   apt-get install -y slurmctld slurmd slurm-client munge
#   scripts/slurm/local-cluster-test.sh
# Starts munge + a one-node cluster on localhost, submits the demo pipeline as an array of 4 shards
# (ntl slurm), cancels one task mid-way, resubmits only it (ntl slurm --resubmit), waits for the merge and
# compares every output with a single-machine run byte for byte. Stops the daemons it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
W=$(mktemp -d /tmp/ntl-slurm-XXXX)
NODE=$(hostname -s)
CPUS=$(nproc)
MEM=$(awk '/MemTotal/ {print int($2/1024) - 512}' /proc/meminfo)
NTL="$(command -v node) $ROOT/scripts/slurm/ntl.mjs"
BAND=256
[ -f dist/cli/main.js ] || npx tsc -p tsconfig.json

mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /etc/munge
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=ntl-local
SlurmctldHost=$NODE
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
ReturnToService=2
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=$NODE CPUs=$CPUS RealMemory=$MEM State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
CONF
[ -f /etc/munge/munge.key ] || { dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null; }
chown -R munge:munge /etc/munge 2>/dev/null || true; chmod 400 /etc/munge/munge.key
mkdir -p /run/munge && chown munge:munge /run/munge 2>/dev/null || true
pgrep -x munged >/dev/null || su -s /bin/sh munge -c /usr/sbin/munged || /usr/sbin/munged --force
PIDS=()
/usr/sbin/slurmctld -D -c & PIDS+=($!)
/usr/sbin/slurmd -D & PIDS+=($!)
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
for _ in $(seq 30); do sinfo -h -o %t 2>/dev/null | grep -qE 'idle|mix' && break; sleep 1; done
sinfo

t0=$(date +%s)
node scripts/slurm/ntl.mjs run pipelines/hunan-demo.yaml --out "$W/single" --band-rows $BAND --quiet >/dev/null
node scripts/slurm/ntl.mjs slurm pipelines/hunan-demo.yaml --shards 4 --out "$W/slurm" --band-rows $BAND --ntl "$NTL" | tee "$W/submit.txt"
ARRAY=$(sbatch --version >/dev/null; squeue -h -o '%F %j' | awk '/-shard/ {print $1; exit}')
# Kill task 2 mid-way (as soon as it runs), then let the rest finish.
for _ in $(seq 120); do squeue -h -j "${ARRAY}_2" -t R 2>/dev/null | grep -q . && break; sleep 0.5; done
scancel "${ARRAY}_2" || true
while squeue -h -o '%j' | grep -q -- '-shard'; do sleep 1; done
echo "after the kill:"; node scripts/slurm/ntl.mjs run pipelines/hunan-demo.yaml --out "$W/slurm" --band-rows $BAND --plan --shards 4 | tail -4
scancel --name=hunan-demo-merge || true   # its dependency failed; the resubmit brings a new one
node scripts/slurm/ntl.mjs slurm pipelines/hunan-demo.yaml --shards 4 --out "$W/slurm" --band-rows $BAND --ntl "$NTL" --resubmit
while squeue -h | grep -q .; do sleep 1; done
t1=$(date +%s)
fail=0
for f in $(cd "$W/single" && find . -type f ! -name run.json ! -path './.*' | sort); do
  cmp -s "$W/single/$f" "$W/slurm/$f" || { echo "DIFFERS: $f"; fail=1; }
done
n=$(cd "$W/single" && find . -type f ! -name run.json ! -path './.*' | wc -l)
[ -f "$W/slurm/panel.csv" ] || { echo "no merged outputs; see $W/slurm/.slurm/logs"; fail=1; }
echo "compared $n files; slurm run + kill + resubmit took $((t1 - t0)) s; work dir $W"
[ $fail = 0 ] && echo "PASS: Slurm array of 4 (one task killed, resubmitted alone) = single-machine run, byte for byte"
exit $fail
