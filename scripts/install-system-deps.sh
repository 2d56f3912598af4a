#!/usr/bin/env bash
# System packages the project needs, from Debian's archive. Installs only what is missing;
# needs root (or sudo) the first time.
#   install-system-deps.sh        what the app needs: Graphviz (lays out the flowcharts) and
#                                 a CJK font (PDFs must render Chinese)
#   install-system-deps.sh test   also Chromium (browser tests), poppler (reading PDFs back)
set -euo pipefail

need=()
command -v dot >/dev/null 2>&1 || need+=(graphviz)
# (no `grep -q` on a pipe here: with pipefail, fc-list's SIGPIPE would read as "missing")
case "$(fc-list :lang=zh family 2>/dev/null)" in *"Noto Sans CJK"*) ;; *) need+=(fonts-noto-cjk) ;; esac
if [ "${1:-}" = "test" ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
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
