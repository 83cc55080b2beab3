// rsagent-check's reading of an answer to GET /health/SERVICE
// (check/check_answer.h): whatever answers on the port, the exit code is
// one keepalived's misc_dynamic understands and the line for stderr is safe
// to print (keepalived's log, an operator's terminal).
#include <string>

#include "check/check_answer.h"
#include "common/safe_text.h"
#include "tests/fuzz/fuzz_check.h"

using namespace rsagent;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const check::CheckAnswer answer = check::AnswerFor(FuzzText(data, size));
  FUZZ_CHECK(answer.exit_code >= 0 && answer.exit_code <= 255);
  FUZZ_CHECK(IsSafeText(answer.why));
  return 0;
}
