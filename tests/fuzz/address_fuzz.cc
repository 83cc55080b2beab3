// Addresses, CIDRs, endpoints (common/ip_address.h) and probe URLs
// (conf/http_url.h). What parses prints back to text that parses equal.
#include "common/ip_address.h"
#include "conf/http_url.h"
#include "tests/fuzz/fuzz_check.h"

using rsagent::Cidr;
using rsagent::Endpoint;
using rsagent::IpAddress;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = FuzzText(data, size);
  if (auto address = IpAddress::Parse(text); address.ok()) {
    auto again = IpAddress::Parse(address->ToString());
    FUZZ_CHECK(again.ok() && *again == *address);
  }
  if (auto cidr = Cidr::Parse(text); cidr.ok()) {
    auto again = Cidr::Parse(cidr->ToString());
    FUZZ_CHECK(again.ok() && *again == *cidr);
  }
  if (auto endpoint = Endpoint::Parse(text); endpoint.ok()) {
    auto again = Endpoint::Parse(endpoint->ToString());
    FUZZ_CHECK(again.ok() && *again == *endpoint);
  }
  if (auto url = rsagent::conf::HttpUrl::Parse(text); url.ok()) {
    FUZZ_CHECK(!url->target.empty() && url->target[0] == '/');
  }
  return 0;
}
