// GETs a URL and passes when the status is in an expected range and, if
// asked, the body contains a marker. Its own small HTTP/1.1 client
// (Connection: close) over common/socket.h and OpenSSL bounds the whole
// exchange by the deadline, even against a server that accepts and never
// answers or trickles bytes — which per-read timeouts cannot do.
#pragma once

#include <memory>

#include "common/ip_address.h"
#include "conf/config.h"
#include "probes/probe.h"

namespace rsagent::probes {

class HttpProbe : public Probe {
 public:
  // Fails when the URL cannot be probed (see conf/http_url.h).
  static Result<std::unique_ptr<HttpProbe>> Create(const conf::HttpProbeSpec& spec);

  // Reasons: "HTTP 502 from http://127.0.0.1/ (expected 200-399)",
  // "body does not contain \"ok\"", "timed out after 500ms".
  ProbeResult Check(Clock::time_point deadline) override;

 private:
  HttpProbe(conf::HttpProbeSpec spec, bool tls, Endpoint endpoint, std::string request);
  // The status and up to 64 KiB of body, or why there is none.
  struct Response {
    int status = 0;
    std::string body;
  };
  Result<Response> Fetch(Clock::time_point deadline) const;

  conf::HttpProbeSpec spec_;
  bool tls_;
  Endpoint endpoint_;
  std::string request_;  // fixed for the probe's lifetime
};

}  // namespace rsagent::probes
