// The health listener's request parser (http/http_request.h): anything a
// client on the network sends. A complete head never claims more bytes than
// it was given, and its path is one that routing can use.
#include "http/http_request.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = FuzzText(data, size);
  const auto parsed = rsagent::agent::ParseRequestHead(text);
  if (parsed.outcome == rsagent::agent::ParseOutcome::kComplete) {
    FUZZ_CHECK(parsed.consumed > 0 && parsed.consumed <= text.size());
    FUZZ_CHECK(!parsed.request.method.empty());
    // Parsing the rest as the next pipelined request must be just as safe.
    (void)rsagent::agent::ParseRequestHead(text.substr(parsed.consumed));
  }
  return 0;
}
