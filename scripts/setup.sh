#!/usr/bin/env bash
# Installs everything fazhi needs on a fresh Debian machine: system packages (when missing), the Python
# virtual environment with fazhi and its dependencies, and the front-end packages from the npm registry.
#   scripts/setup.sh          runtime only
#   scripts/setup.sh --dev    also test tools and headless Chromium for browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1

need_apt=()
command -v python3 >/dev/null || need_apt+=(python3 python3-venv)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
command -v npm >/dev/null || need_apt+=(nodejs npm)
# The annual report's PDF (WeasyPrint): Pango and a CJK font, also in production.
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || need_apt+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qi "Noto Serif CJK" || need_apt+=(fonts-noto-cjk)
if [ "$dev" = 1 ]; then
  [ -x /usr/bin/chromium ] || need_apt+=(chromium)
  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need_apt+=(fonts-noto-cjk)
  command -v soffice >/dev/null || need_apt+=(libreoffice-writer-nogui)  # tests render the report's DOCX to images
fi
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "==> installing system packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  python3 -m venv .venv
fi
stamp=".venv/.fazhi-installed"
if [ "$dev" = 1 ]; then stamp="$stamp-dev"; fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "==> installing Python packages"
  .venv/bin/python -m pip install -q --upgrade pip
  if [ "$dev" = 1 ]; then .venv/bin/pip install -q -e '.[dev]'; else .venv/bin/pip install -q -e .; fi
  touch "$stamp"
fi

if [ ! -d node_modules/htmx.org ] || [ ! -d node_modules/echarts ] || [ package.json -nt node_modules/.package-lock.json ]; then
  echo "==> installing front-end packages (npm)"
  npm ci --no-audit --no-fund --loglevel=error
fi
