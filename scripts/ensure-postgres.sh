#!/usr/bin/env bash
# Makes sure a local PostgreSQL answers on 127.0.0.1:5432: installs it from Debian's packages when missing and
# starts the cluster when it is not running. Used by the test command when DATABASE_URL points to PostgreSQL.
set -euo pipefail
ensure_database() {
  # The database DATABASE_URL names (default fazhi), UTF-8 with a locale that classifies Chinese as letters.
  local name="${DATABASE_URL##*/}"; name="${name%%\?*}"; name="${name:-fazhi}"
  if ! psql -h 127.0.0.1 -U postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$name'" postgres | grep -q 1; then
    createdb -h 127.0.0.1 -U postgres --encoding=UTF8 --locale=C.UTF-8 --template=template0 "$name"
  fi
}
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then ensure_database; exit 0; fi
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
  echo "==> installing PostgreSQL"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /etc/postgresql | sort -V | tail -n 1)
echo "==> starting PostgreSQL $version"
$SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
for _ in $(seq 1 30); do
  if pg_isready -q -h 127.0.0.1 -p 5432; then ensure_database; exit 0; fi
  sleep 1
done
echo "PostgreSQL did not start on 127.0.0.1:5432" >&2
exit 1
