#!/usr/bin/env bash
# A real single-node Slurm cluster on this machine, for testing the scale-out scripts against the
# genuine sbatch/squeue/slurmctld rather than a mock (docs/scale-out.md). Needs root and apt.
#
#   scripts/slurm-local.sh install   Debian's slurmctld slurmd slurm-client munge, daemons not started
#   scripts/slurm-local.sh up        install if needed, start munged + slurmctld + slurmd, wait for idle
#   scripts/slurm-local.sh down      stop the daemons that `up` started, by the PIDs it recorded
#
# Works without systemd or cgroups (containers, CI): process tracking by /proc, no task plugin,
# no accounting (so no sacct: use squeue and the jobs' output files). State, spool and logs live
# under $SIAMBENCH_SLURM_DIR (default /tmp/siambench-slurm); `down` never kills by name, so
# daemons that someone else started are left alone.
set -euo pipefail

DIR="${SIAMBENCH_SLURM_DIR:-/tmp/siambench-slurm}"
CONF=/etc/slurm/slurm.conf
MARK="# written by siambench scripts/slurm-local.sh"

die() {
  echo "slurm-local: $*" >&2
  exit 1
}

install_packages() {
  [ "$(id -u)" = 0 ] || die "needs root (apt-get install)"
  if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null &&
    command -v munged >/dev/null; then
    return 0
  fi
  # The packages' postinst would start the daemons through invoke-rc.d, which fails without systemd
  # (and we want to start them ourselves, with our config): a policy-rc.d answering 101 forbids it.
  local own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    own_policy=1
  fi
  local status=0
  apt-get update -qq || status=$?
  if [ "$status" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      slurmctld slurmd slurm-client munge >/dev/null || status=$?
  fi
  if [ "$own_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
  [ "$status" = 0 ] || die "apt-get install of slurmctld slurmd slurm-client munge failed (exit $status)"
}

write_conf() {
  if [ -e "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
    die "$CONF exists and was not written by this script: not overwriting it"
  fi
  mkdir -p /etc/slurm "$DIR/state" "$DIR/spool" "$DIR/log"
  local node
  node="$(hostname -s)"
  cat >"$CONF" <<EOF
$MARK
ClusterName=siambench
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
MpiDefault=none
# No cgroups or systemd in containers: track processes by /proc, bind no tasks, gather no accounting.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
# A node that went down (daemon restart) comes back by itself once it registers.
ReturnToService=2
# A failed array makes its afterok merge job impossible: cancel it rather than leave it pending forever.
DependencyParameters=kill_invalid_depend
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

munge_works() {
  munge -n 2>/dev/null | unmunge >/dev/null 2>&1
}

start_munge() {
  if munge_works; then return 0; fi # someone else's munged: use it, do not own it
  if [ ! -s /etc/munge/munge.key ]; then
    mungekey --create --keyfile=/etc/munge/munge.key 2>/dev/null ||
      dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
  fi
  # munged refuses a key or directories that other users could write or read.
  chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
  mkdir -p /run/munge /var/lib/munge /var/log/munge
  chown munge:munge /run/munge /var/lib/munge /var/log/munge
  chmod 755 /run/munge
  # setpriv execs munged in place, so $! is munged itself (runuser would fork and wait).
  setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged --foreground \
    >>"$DIR/log/munged.out" 2>&1 &
  echo $! >"$DIR/munged.started"
  wait_for "munged" 20 munge_works
}

node_idle() {
  sinfo -h -N -o '%t' 2>/dev/null | grep -qx 'idle'
}

wait_for() {
  local what=$1 seconds=$2
  shift 2
  local i
  for ((i = 0; i < seconds * 4; i++)); do
    if "$@"; then return 0; fi
    sleep 0.25
  done
  die "$what not ready after ${seconds}s (logs in $DIR/log)"
}

up() {
  install_packages
  mkdir -p "$DIR/log"
  if [ -e "$DIR/slurmctld.started" ] && kill -0 "$(cat "$DIR/slurmctld.started")" 2>/dev/null; then
    die "a cluster from this script is already up (PIDs in $DIR/*.started): run 'down' first"
  fi
  write_conf
  start_munge
  # -i: ignore state left by an earlier run in $DIR/state (jobs of a cluster that no longer exists).
  slurmctld -D -i >>"$DIR/log/slurmctld.out" 2>&1 &
  echo $! >"$DIR/slurmctld.started"
  slurmd -D >>"$DIR/log/slurmd.out" 2>&1 &
  echo $! >"$DIR/slurmd.started"
  wait_for "the node (sinfo idle)" 60 node_idle
  echo "slurm-local: up: $(sinfo -h -N -o '%N %t %c CPUs')"
}

stop_pid() {
  local file=$1 pid i
  [ -e "$file" ] || return 0
  pid="$(cat "$file")"
  rm -f "$file"
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 40; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.25
  done
  kill -KILL "$pid" 2>/dev/null || true
}

cancel_jobs() {
  # Only on a controller we started: its jobs are ours. Cancelled jobs' processes end before slurmd does.
  [ -e "$DIR/slurmctld.started" ] && kill -0 "$(cat "$DIR/slurmctld.started")" 2>/dev/null || return 0
  squeue -h -o '%A' 2>/dev/null | xargs -r scancel 2>/dev/null || true
  local i
  for ((i = 0; i < 40; i++)); do
    [ -z "$(squeue -h -o '%A' 2>/dev/null)" ] && return 0
    sleep 0.25
  done
}

down() {
  cancel_jobs
  # slurmd first, so it does not log the controller's disappearance; munged last, both need it.
  stop_pid "$DIR/slurmd.started"
  stop_pid "$DIR/slurmctld.started"
  stop_pid "$DIR/munged.started"
  echo "slurm-local: down"
}

case "${1:-}" in
install) install_packages ;;
up) up ;;
down) down ;;
*) die "usage: scripts/slurm-local.sh install|up|down" ;;
esac
