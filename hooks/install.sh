#!/bin/sh
# Kept for those who installed with it: sess-manage installs the hooks now
# (see 'sess-manage hooks -h'). Usage: hooks/install.sh [SETTINGS]
exec sess-manage hooks install ${1:+--settings "$1"}
