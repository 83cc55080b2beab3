#!/usr/bin/env bash
# deb_install_test.sh on Debian 13 (trixie): the same .deb, built on Debian 12.
RSAGENT_SUITE=trixie exec bash "$(dirname "$0")/deb_install_test.sh"
