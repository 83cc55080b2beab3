#!/usr/bin/env bash
# tests/asan/run_unit.sh (the ctest test asan.unit) never passes without
# having run sanitizer binaries: a BUILD_DIR configured without
# RSAGENT_SANITIZE is refused before anything is built or run, and a
# BUILD_DIR that cannot be configured fails with cmake's error. (That it
# builds before it runs, so nothing stale runs, asan.unit shows in every CI.)
source "$(dirname "$0")/../lib/common.sh"
make_tmp
runner=$RSAGENT_SOURCE_DIR/tests/asan/run_unit.sh

# A plain Debug tree where build-asan/ should be.
plain=$TMP/plain
mkdir -p "$plain"
printf 'CMAKE_BUILD_TYPE:STRING=Debug\nRSAGENT_SANITIZE:BOOL=OFF\n' >"$plain/CMakeCache.txt"
: >"$plain/build.ninja"
if bash "$runner" "$RSAGENT_SOURCE_DIR" "$plain" >"$TMP/plain.out" 2>&1; then
  fail "a build dir without RSAGENT_SANITIZE passed: $(cat "$TMP/plain.out")"
fi
grep -q "$plain is not a sanitizer build" "$TMP/plain.out" ||
  fail "no clear refusal: $(cat "$TMP/plain.out")"
grep -q "building" "$TMP/plain.out" && fail "it built a refused dir: $(cat "$TMP/plain.out")"

# A missing BUILD_DIR is configured; a source tree that is not one fails there.
if bash "$runner" "$TMP/no-such-source" "$TMP/fresh" >"$TMP/fresh.out" 2>&1; then
  fail "configuring from a missing source passed: $(cat "$TMP/fresh.out")"
fi
grep -q "configuring $TMP/fresh" "$TMP/fresh.out" || fail "did not configure: $(cat "$TMP/fresh.out")"
grep -q "does not exist" "$TMP/fresh.out" || fail "no cmake error: $(cat "$TMP/fresh.out")"
echo "PASS: a non-sanitizer build dir is refused, a failed configure fails"
