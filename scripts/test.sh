#!/usr/bin/env bash
# The whole test suite on the database DATABASE_URL names (embedded SQLite when unset), with the checks that
# keep main landable: ruff, mypy, migrations in step with the models. The OpenAPI snapshot is compared in pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"

db="SQLite"
if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  scripts/ensure-postgres.sh
  db="PostgreSQL"
fi
echo "==> checks (ruff, ruff format, mypy, migrations)"
ruff check src bench tests
ruff format --check src bench tests
mypy
mypy tests
fazhi makemigrations --check --dry-run >/dev/null || { echo "models changed without a migration: run 'fazhi makemigrations'" >&2; exit 1; }
echo "==> test suite on $db"
pytest -p no:cacheprovider "$@"
