# The previous release's agent, built once from its commit, so a bench can
# run it beside this tree's agent in the same script (ratios on the same
# machine, same noise). Source after tests/integration/lib/common.sh.

# reference_agent REV -> the path of rsagent built at REV (a git revision of
# this repository). Cached under /var/cache/rsagent-bench-ref/<commit>: its
# tree (git archive: the repository is left as it is) and its build, made on
# first use (ccache makes it quick).
reference_agent() {
  local rev commit dir
  rev=$1
  commit=$(git -C "$RSAGENT_SOURCE_DIR" rev-parse --verify "$rev^{commit}") ||
    fail "reference revision $rev is not in this repository"
  dir=/var/cache/rsagent-bench-ref/$commit
  if [[ ! -x $dir/build/agent/rsagent ]]; then
    log "building the reference agent at ${commit:0:7} in $dir (once)"
    mkdir -p "$dir"
    if [[ ! -f $dir/src/CMakeLists.txt ]]; then
      rm -rf "$dir/src" && mkdir -p "$dir/src"
      git -C "$RSAGENT_SOURCE_DIR" archive "$commit" | tar -x -C "$dir/src" ||
        fail "git archive $commit failed"
    fi
    local launcher=()
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    cmake -S "$dir/src" -B "$dir/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      "${launcher[@]}" >"$dir/cmake.log" 2>&1 || fail "reference cmake failed: $dir/cmake.log"
    nice cmake --build "$dir/build" -j2 --target rsagent >"$dir/build.log" 2>&1 ||
      fail "reference build failed: $dir/build.log"
  fi
  echo "$dir/build/agent/rsagent"
}
