// The sanitizer every outside byte passes (common/safe_text.h): whatever
// the input and bound, valid UTF-8, no control characters, within the
// bound, and unchanged when already safe and short enough.
#include "common/safe_text.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t bound = data[0];  // 0..255 from the first byte
  const std::string_view raw = FuzzText(data + 1, size - 1);
  const std::string safe = rsagent::SafeText(raw, bound);
  FUZZ_CHECK(safe.size() <= bound);
  FUZZ_CHECK(rsagent::IsSafeText(safe));
  if (raw.size() <= bound && rsagent::IsSafeText(raw)) FUZZ_CHECK(safe == raw);
  FUZZ_CHECK(rsagent::SafeText(safe, bound) == safe);
  return 0;
}
