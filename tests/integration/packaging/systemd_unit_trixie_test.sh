#!/usr/bin/env bash
# systemd_unit_test.sh on Debian 13 (trixie): the same .deb, built on Debian 12.
RSAGENT_SUITE=trixie exec bash "$(dirname "$0")/systemd_unit_test.sh"
