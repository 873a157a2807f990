# shellcheck shell=bash
# deploy/lib.sh - helpers shared by the scripts in deploy/: messages, root, --help, waiting,
# and templates. Sourced, never run: it defines the functions below and the three settings, and
# does nothing else (it sets no shell option, starts nothing, reads and writes no file).
#
# A script sources it by its own real location (it may be run from any directory, or through a
# symlink), then names itself:
#   # shellcheck source-path=SCRIPTDIR source=lib.sh
#   source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
#   LOG_PREFIX=chaos LOG_TIMESTAMP=1
#   handle_help "$@"
# Settings (sourcing this file resets them, whatever the environment holds; set them after):
#   LOG_PREFIX     the script's name in its messages: "[LOG_PREFIX] ..."
#   LOG_TIMESTAMP  1: log writes the UTC time (HH:MM:SS) after the prefix; 0 (the default): not
#   DIE_PREFIX     what die writes before the message (default: "[LOG_PREFIX] ERROR:")
#
# Messages:  log MESSAGE...   on stdout: [LOG_PREFIX] [HH:MM:SS ]MESSAGE
#            die MESSAGE...   on stderr: [LOG_PREFIX] ERROR: MESSAGE (never a time), then exit 1
# Root:      as_root COMMAND...   the command as root: directly when root already, else with sudo
# Help:      usage             the running script's header comment (line 2 to the first line that
#                              is not a comment), each line without its "# "
#            handle_help "$@"  with -h or --help as the first argument: usage, then exit 0
# Waiting (each tries COMMAND at once, then after every INTERVAL seconds):
#   wait_until TRIES INTERVAL COMMAND...   until COMMAND succeeds (status 0), at most TRIES
#                              times (status 1), sleeping INTERVAL after every failed try
#   wait_until_alive PID TRIES INTERVAL COMMAND...   the same, but gives up (status 2) as soon
#                              as process PID has exited (checked after every failed try)
#   wait_while INTERVAL COMMAND...   as long as COMMAND succeeds (no limit)
#   pid_alive PID / pid_gone PID     whether process PID exists (kill -0)
#   http_200 [CURL_OPTION...] URL    whether URL answers HTTP 200 (curl -s; the options are
#                              curl's, e.g. -m 2 or --cacert FILE; standard input goes to curl)
#   port_in_use HOST PORT SECONDS    whether something accepts TCP connections on HOST:PORT
#                              (within SECONDS)
# Templates: render_template FILE NAME=VALUE...   FILE on stdout, each ${NAME} of the listed
#            names replaced by its VALUE, byte for byte (no other expansion, no escapes; a
#            VALUE may hold newlines); a ${NAME} in FILE (capitals, digits, _) that is not listed
#            is an error (die)

LOG_PREFIX="${BASH_SOURCE[-1]##*/}"
LOG_PREFIX="${LOG_PREFIX%.sh}"
LOG_TIMESTAMP=0
DIE_PREFIX=""

log() {
  if [[ "$LOG_TIMESTAMP" == 1 ]]; then
    echo "[$LOG_PREFIX] $(date -u +%H:%M:%S) $*"
  else
    echo "[$LOG_PREFIX] $*"
  fi
}

die() { echo "${DIE_PREFIX:-[$LOG_PREFIX] ERROR:} $*" >&2; exit 1; }

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
# apt-get as root, waiting up to 5 minutes for another apt or dpkg run to let go of its lock (a new
# machine's own updates, or another script installing at the same time).
apt_get() { as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 "$@"; }

# The outermost file of the call stack is the script that was run (this file is only sourced).
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[-1]}"; }

handle_help() {
  case "${1:-}" in
    -h|--help) usage; exit 0 ;;
  esac
}

wait_until() {
  local tries="$1" interval="$2"
  shift 2
  for _ in $(seq 1 "$tries"); do
    "$@" && return 0
    sleep "$interval"
  done
  return 1
}

wait_until_alive() {
  local pid="$1" tries="$2" interval="$3"
  shift 3
  for _ in $(seq 1 "$tries"); do
    "$@" && return 0
    pid_alive "$pid" || return 2
    sleep "$interval"
  done
  return 1
}

wait_while() {
  local interval="$1"
  shift
  while "$@"; do sleep "$interval"; done
}

pid_alive() { kill -0 "$1" 2>/dev/null; }
pid_gone() { ! kill -0 "$1" 2>/dev/null; }

http_200() { curl -s -o /dev/null -w '%{http_code}' "$@" | grep -q 200; }

port_in_use() { timeout "$3" bash -c "exec 3<>'/dev/tcp/$1/$2'" 2>/dev/null; }

render_template() {
  local file="$1" text="" out="" pair name
  # shellcheck disable=SC2016 # the literal characters that open a placeholder
  local mark='${'
  shift
  local -A values=()
  for pair in "$@"; do
    [[ "$pair" =~ ^[A-Z][A-Z0-9_]*= ]] || die "render_template $file: '${pair%%=*}' is not a NAME=VALUE of capitals, digits and _"
    values["${pair%%=*}"]="${pair#*=}"
  done
  [[ -r "$file" ]] || die "render_template: cannot read $file"
  # The whole file as it is: read stops at the end (status 1), keeping every byte but NUL.
  IFS= read -r -d '' text < "$file" || true
  # One pass from left to right: a value is never searched for names itself.
  while [[ "$text" == *"$mark"* ]]; do
    out+="${text%%"$mark"*}"
    text="${text#*"$mark"}"
    if [[ "$text" =~ ^([A-Z][A-Z0-9_]*)\} ]]; then
      name="${BASH_REMATCH[1]}"
      [[ -v "values[$name]" ]] || die "render_template $file: \${$name} has no value"
      out+="${values[$name]}"
      text="${text#"$name}"}"
    else
      out+="$mark"
    fi
  done
  printf '%s' "$out$text"
}

# Run rather than sourced: say what this file is.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
fi
