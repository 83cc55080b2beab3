#!/usr/bin/env bash
# master_master_test.sh against Oracle MySQL 9.7 (sid's mysql-server, chrooted
# from the cached sid root): the same pair, faults and expected verdicts.
MM_SERVER=mysql9 source "$RSAGENT_SOURCE_DIR/tests/integration/mysql/master_master_test.sh"
