#!/usr/bin/env bash
# Makes sure a local PostgreSQL answers on 127.0.0.1:5432: installs it from Debian's packages when missing and
# starts the cluster when it is not running. Used by the test command when DATABASE_URL points to PostgreSQL.
set -euo pipefail
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then exit 0; fi
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
  pg_isready -q -h 127.0.0.1 -p 5432 && exit 0
  sleep 1
done
echo "PostgreSQL did not start on 127.0.0.1:5432" >&2
exit 1
