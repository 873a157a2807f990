#!/usr/bin/env bash
# Makes sure a MySQL-compatible server answers on 127.0.0.1:3306 for root without a password,
# as the integration tests expect (override with TOKENPOOL_TEST_DB_URL/_USER/_PASSWORD, and then
# this script only checks). Installs MariaDB with apt where it is missing, starts it where it is
# stopped, and lets root log in over TCP without a password only on a server it installed itself.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
LOG_PREFIX=ensure-mariadb LOG_TIMESTAMP=0
handle_help "$@"

HOST=127.0.0.1
PORT=3306

if [[ -n "${TOKENPOOL_TEST_DB_URL:-}" ]]; then
  log "TOKENPOOL_TEST_DB_URL is set; using that server as it is"
  exit 0
fi

client() {
  if command -v mariadb >/dev/null 2>&1; then echo mariadb; elif command -v mysql >/dev/null 2>&1; then echo mysql; fi
}

answers() {
  local c; c=$(client)
  [[ -n "$c" ]] && "$c" --protocol=TCP -h "$HOST" -P "$PORT" -uroot --connect-timeout=3 -e "SELECT 1" >/dev/null 2>&1
}

if answers; then
  log "MariaDB answers on $HOST:$PORT"
else
  installed_now=false
  if [[ ! -x /usr/sbin/mariadbd ]]; then
    log "MariaDB is not installed: installing mariadb-server with apt"
    apt_get update -qq
    apt_get install -y -qq mariadb-server >/dev/null
    installed_now=true
  fi
  log "starting MariaDB"
  as_root install -d -o mysql -g mysql /run/mysqld
  as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  for _ in $(seq 1 60); do
    if answers; then break; fi
    c=$(client)
    # A fresh Debian install authenticates root through the unix socket only.
    if [[ "$installed_now" == true && -n "$c" ]] && as_root "$c" -uroot -e "SELECT 1" >/dev/null 2>&1; then
      log "allowing root over TCP without a password on the server installed just now"
      as_root "$c" -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket; FLUSH PRIVILEGES;"
      installed_now=false
      continue
    fi
    sleep 1
  done
  answers || { log "MariaDB does not answer on $HOST:$PORT for root"; exit 1; }
  log "MariaDB answers on $HOST:$PORT"
fi

# Drop databases that earlier, interrupted test runs left behind: those nobody is connected to.
# A test run (or a benchmark) going on beside this one keeps its databases.
c=$(client)
stale=$("$c" --protocol=TCP -h "$HOST" -P "$PORT" -uroot -N -e "
  SELECT schema_name FROM information_schema.schemata
   WHERE schema_name LIKE 'tokenpool\\_it\\_%'
     AND schema_name NOT IN (SELECT db FROM information_schema.processlist WHERE db IS NOT NULL)" || true)
for db in $stale; do
  "$c" --protocol=TCP -h "$HOST" -P "$PORT" -uroot -e "DROP DATABASE IF EXISTS \`$db\`" || true
done
