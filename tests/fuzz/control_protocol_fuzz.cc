// The control socket's protocol (control/control_protocol.h), both sides:
// a request line as the agent reads it, a response line as the CLI reads
// and renders it. A decoded request encodes back to itself.
#include "cli/status_table.h"
#include "control/control_protocol.h"
#include "tests/fuzz/fuzz_check.h"

using namespace rsagent::agent;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = FuzzText(data, size);
  if (auto request = DecodeRequest(text); request.ok()) {
    auto again = DecodeRequest(EncodeRequest(*request));
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->command == request->command && again->service == request->service &&
               again->all == request->all);
  }
  if (auto response = DecodeResponse(text); response.ok()) {
    (void)EncodeResponse(*response);
    if (!response->status.is_null()) (void)StatusTable(response->status);
  }
  return 0;
}
