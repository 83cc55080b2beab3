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

#include "conf/config.h"
#include "probes/probe.h"

namespace rsagent::probes {

class HttpProbe : public Probe {
 public:
  // Fails when the URL cannot be probed (see conf/http_url.h).
  static Result<std::unique_ptr<HttpProbe>> Create(const conf::HttpProbeSpec& spec);
  ~HttpProbe() override;

  // Reasons: "HTTP 502 from http://127.0.0.1/ (expected 200-399)",
  // "body does not contain \"ok\"", "timed out after 500ms",
  // "connect 127.0.0.1:80: connection refused".
  ProbeResult Check(Clock::time_point deadline) override;

 private:
  struct Transfer;  // the libcurl handle, reused by every attempt
  HttpProbe(conf::HttpProbeSpec spec, std::unique_ptr<Transfer> transfer);

  conf::HttpProbeSpec spec_;
  std::unique_ptr<Transfer> transfer_;
};

}  // namespace rsagent::probes
