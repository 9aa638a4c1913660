#!/bin/sh
# Builds the librdkafka mock-cluster binary next to this script (git-ignored).
# Needs the librdkafka headers: apt-get update && apt-get install -y librdkafka-dev
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if ! printf '#include <librdkafka/rdkafka.h>\n#include <librdkafka/rdkafka_mock.h>\n' | ${CC:-gcc} -E -x c - >/dev/null 2>&1; then
  echo "librdkafka headers not found (librdkafka/rdkafka_mock.h): run apt-get update && apt-get install -y librdkafka-dev" >&2
  exit 3
fi
# Build under a temporary name and rename, so concurrent builds never expose a half-written binary.
tmp="$here/kafka-mock.$$.tmp"
${CC:-gcc} -O2 -Wall -Wextra -o "$tmp" "$here/kafka-mock.c" -lrdkafka
mv -f "$tmp" "$here/kafka-mock"
