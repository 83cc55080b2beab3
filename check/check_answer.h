// What rsagent-check exits with, from the agent's answer to
// GET /health/SERVICE: keepalived's MISC_CHECK with misc_dynamic reads the
// exit code (keepalived/check/check_misc.c):
//
//   0        success at the real server's configured weight
//   1        failure (so is any other code without misc_dynamic, a signal,
//            or running past misc_timeout, but a signal also corrupts the
//            weight: rsagent_check.cc, conf/examples/keepalived-web-misc-dynamic.conf)
//   2..255   success, weight set to code - 2 (0..253)
//
// So: 200 with X-Rsagent-Weight W -> W + 2; 503 with X-Rsagent-Weight 0
// (drained, otherwise healthy) -> 2, alive at weight 0, so connections in
// progress continue; 200 without the header (an older agent) -> 0, the
// weight keepalived is configured with; anything else -> 1.
#pragma once

#include <string>
#include <string_view>

namespace rsagent::check {

struct CheckAnswer {
  int exit_code = 1;
  std::string why;  // one line for stderr (keepalived logs the exit code only)
};

CheckAnswer AnswerFor(std::string_view response);

}  // namespace rsagent::check
