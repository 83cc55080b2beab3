#!/usr/bin/env bash
# Installs everything rsagent needs to build, test and run its demo, from
# Debian 12 packages. Idempotent: when every package is present it does not
# touch apt at all.
set -euo pipefail

# What building needs; --list-build prints it (the Debian 13 build test's root).
BUILD_PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  # MariaDB Connector/C, not Oracle's libmysqlclient (no non-blocking API)
  libnl-3-dev libnl-route-3-dev libmariadb-dev libcpp-httplib-dev
  libtomlplusplus-dev libspdlog-dev libfmt-dev nlohmann-json3-dev libgtest-dev libgmock-dev
  libssl-dev
  # the HTTP probe's client (issue 12: libcurl instead of our own HTTP/TLS code)
  libcurl4-openssl-dev
  # second chance (netsetup/second_chance.bpf.c): clang for the BPF target,
  # bpftool to embed it as a libbpf skeleton, libbpf to load it
  clang llvm libbpf-dev bpftool
  # the command line's parser, header-only (issue 12: COMMAND --help, refused options)
  libcli11-dev
)
if [[ ${1:-} == --list-build ]]; then
  printf '%s\n' "${BUILD_PACKAGES[@]}"
  exit 0
fi

PACKAGES=(
  "${BUILD_PACKAGES[@]}"
  # fuzzing (tests/fuzz): clang with libFuzzer and the sanitizer runtimes
  clang-14 libclang-rt-14-dev
  # real components the tests start and stop themselves
  nginx-light mariadb-server mariadb-client keepalived
  # network namespaces, ARP and packet-path checks
  iproute2 arping nftables tcpdump curl procps psmisc util-linux python3 socat
  # packaging: build, lint, install into a debootstrapped root, boot the unit
  dpkg-dev file rpm lintian rpmlint debootstrap systemd systemd-container man-db
  # cached debootstrap roots (tests/integration/lib/rootfs.sh)
  zstd
  # the lab (scripts/lab.sh): Debian's kernel in a qemu TCG VM, busybox initramfs
  qemu-system-x86 busybox-static kmod cpio e2fsprogs
  # observability: promtool and a real Prometheus for the shipped alert rules and
  # dashboard queries (tests/integration/prometheus), PyYAML for the rules check
  prometheus python3-yaml
  # Galera: the 3-node cluster of tests/integration/galera (provider, rsync SST, /status via jq)
  galera-4 rsync jq
  # the MySQL pair's property test: a client that writes through the director
  # (tests/integration/mysql/writer_client.py)
  python3-pymysql
  # HAProxy as a second director: agent-check and http-check against the agent
  # (tests/integration/haproxy)
  haproxy
  # a CPU hog on every core: verdicts on a starved host (issue 16,
  # tests/integration/agent/starved_host_test.sh, tests/bench/scale.sh)
  stress-ng
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages (${missing[*]}); run as root" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
# The tests run their own nginx/MariaDB/keepalived; keep apt from starting the
# system services. Only a policy we created ourselves is removed again.
policy=/usr/sbin/policy-rc.d
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  trap 'rm -f "$policy"' EXIT
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
