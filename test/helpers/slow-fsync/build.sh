#!/bin/sh
# Builds the slow-fsync LD_PRELOAD shim next to this script (git-ignored). Needs a C compiler.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# Build under a temporary name and rename, so concurrent builds never expose a half-written library.
tmp="$here/slow-fsync.$$.tmp"
${CC:-gcc} -O2 -Wall -Wextra -shared -fPIC -o "$tmp" "$here/slow-fsync.c" -ldl
mv -f "$tmp" "$here/slow-fsync.so"
