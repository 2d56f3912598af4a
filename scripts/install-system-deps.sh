#!/usr/bin/env bash
# System packages the project needs, from Debian's archive. Installs only what is missing;
# needs root (or sudo) the first time.
#   install-system-deps.sh python  before the virtual environment is made: the interpreter named
#                                  by $PYTHON (default python3) must be 3.11+ and have the venv
#                                  and ensurepip modules (Debian and Ubuntu ship them apart, in
#                                  python3.X-venv)
#   install-system-deps.sh         what the app needs: Graphviz (lays out the flowcharts) and
#                                  a CJK font (PDFs must render Chinese)
#   install-system-deps.sh test    also Chromium (browser tests), poppler (reading PDFs back),
#                                  slapd (the directory-login tests run a real OpenLDAP server)
# SYSTEM_DEPS_DRY_RUN=1 prints what would be installed ("将安装：…") and installs nothing.
set -euo pipefail

PYTHON="${PYTHON:-python3}"
need=()
if [ "${1:-}" = "python" ]; then
  if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "找不到 Python 解释器“$PYTHON”。请安装 Python 3.11 或更高版本（如 apt-get install python3），或用 PYTHON=/解释器路径 指定。" >&2
    exit 1
  fi
  version="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "需要 Python 3.11 或更高版本，而“$PYTHON”是 Python $version。请安装较新的 Python，再用 PYTHON=/解释器路径 make run 指定它。" >&2
    exit 1
  fi
  # Without these, `python3 -m venv` fails half-way with a message about ensurepip.
  "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1 || need+=("python$version-venv")
fi
if [ "${1:-}" != "python" ]; then
  command -v dot >/dev/null 2>&1 || need+=(graphviz)
  # (no `grep -q` on a pipe here: with pipefail, fc-list's SIGPIPE would read as "missing")
  case "$(fc-list :lang=zh family 2>/dev/null)" in *"Noto Sans CJK"*) ;; *) need+=(fonts-noto-cjk) ;; esac
fi
if [ "${1:-}" = "test" ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
  # The directory-login tests start their own OpenLDAP server.
  [ -x /usr/sbin/slapd ] || need+=(slapd)
fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ -n "${SYSTEM_DEPS_DRY_RUN:-}" ]; then
  echo "将安装：${need[*]}"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "缺少系统软件包：${need[*]}；本机没有 apt-get，请用本系统的包管理器安装相应软件。" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "缺少系统软件包：${need[*]}；请以 root 身份安装（apt-get install ${need[*]}）。" >&2
    exit 1
  fi
fi
echo "安装系统软件包：${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null

if [ "${1:-}" = "python" ] && ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  echo "已安装 ${need[*]}，但“$PYTHON”仍缺少 venv/ensurepip 模块（它可能不是系统自带的解释器）。请换用带有 venv 模块的 Python 3.11+，用 PYTHON=/解释器路径 指定。" >&2
  exit 1
fi
