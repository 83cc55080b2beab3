// GETs a URL and passes when the status is in an expected range and, if
// asked, the body contains a marker. libcurl does the HTTP/1.1 and TLS work
// (chunked bodies, IPv6, SNI); CURLOPT_TIMEOUT_MS bounds the whole exchange
// — connect, TLS handshake, request, headers, body — by the probe's
// deadline, even against a server that accepts and never answers or
// trickles bytes. Every attempt opens a fresh connection, as keepalived's
// HTTP_GET does: a listener that stopped accepting must fail the probe, and
// nothing from a failed attempt carries over to the next.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "probes/probe.h"

namespace rsagent::conf {
class TableReader;
}

namespace rsagent::probes {

struct StatusRange {
  int low = 200;
  int high = 399;
  friend bool operator==(const StatusRange&, const StatusRange&) = default;
};

// [probe.NAME] type = "http"
struct HttpProbeSpec {
  std::string url;  // http:// or https://, literal IP host: conf::HttpUrl::Parse accepts it
  std::vector<StatusRange> expect_status{{200, 399}};  // "200", "200-299"; at least one
  std::string expect_body;                             // substring; empty = not checked
  std::string host_header;                             // empty = from the URL
  bool tls_verify = false;                             // local probes use self-signed certs
  friend bool operator==(const HttpProbeSpec&, const HttpProbeSpec&) = default;
  static HttpProbeSpec Read(conf::TableReader& table);  // reports every problem into `table`
  std::vector<Endpoint> Listeners() const;               // the URL's address and port
};

class HttpProbe : public Probe {
 public:
  explicit HttpProbe(HttpProbeSpec spec);
  ~HttpProbe() override;

  // Reasons: "HTTP 502 from http://127.0.0.1/ (expected 200-399)",
  // "body does not contain \"ok\"", "timed out after 500ms",
  // "connect 127.0.0.1:80: connection refused"; if libcurl could not set up
  // the transfer, every attempt fails saying so.
  ProbeResult Attempt(Clock::time_point deadline) override;

 private:
  struct Transfer;  // the libcurl handle, reused by every attempt
  static Result<std::unique_ptr<Transfer>> MakeTransfer(const HttpProbeSpec& spec);

  HttpProbeSpec spec_;
  Result<std::unique_ptr<Transfer>> transfer_;
};

}  // namespace rsagent::probes
