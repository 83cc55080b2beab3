#include "probes/http_probe.h"

#include "common/socket.h"
#include "conf/http_url.h"
#include "probes/byte_stream.h"
#include "probes/http_response_parser.h"
#include "probes/probe_outcome.h"
#include "probes/tls_stream.h"

namespace rsagent::probes {

namespace {

std::string DescribeRanges(const std::vector<conf::StatusRange>& ranges) {
  std::string text;
  for (const auto& range : ranges) {
    if (!text.empty()) text += ",";
    text += std::to_string(range.low);
    if (range.high != range.low) text += "-" + std::to_string(range.high);
  }
  return text;
}

bool StatusExpected(int status, const std::vector<conf::StatusRange>& ranges) {
  for (const auto& range : ranges) {
    if (status >= range.low && status <= range.high) return true;
  }
  return false;
}

}  // namespace

Result<std::unique_ptr<HttpProbe>> HttpProbe::Create(const conf::HttpProbeSpec& spec) {
  auto url = conf::HttpUrl::Parse(spec.url);
  if (!url.ok()) return Error{url.error()};
  if (spec.expect_status.empty()) return Error{"http probe needs at least one expected status"};
  auto address = IpAddress::Parse(url->host == "localhost" ? "127.0.0.1" : url->host);
  if (!address.ok()) return Error{address.error()};

  std::string host = spec.host_header;
  if (host.empty()) {
    host = address->is_v4() ? url->host : "[" + url->host + "]";
    if (url->port != (url->tls ? 443 : 80)) host += ":" + std::to_string(url->port);
  }
  std::string request = "GET " + url->target + " HTTP/1.1\r\nHost: " + host +
                        "\r\nUser-Agent: rsagent-probe\r\nAccept: */*\r\nConnection: close\r\n\r\n";
  return std::unique_ptr<HttpProbe>(
      new HttpProbe(spec, url->tls, Endpoint{*address, url->port}, std::move(request)));
}

HttpProbe::HttpProbe(conf::HttpProbeSpec spec, bool tls, Endpoint endpoint, std::string request)
    : spec_(std::move(spec)), tls_(tls), endpoint_(std::move(endpoint)), request_(std::move(request)) {}

Result<HttpProbe::Response> HttpProbe::Fetch(Clock::time_point deadline) const {
  auto fd = ConnectTcp(endpoint_, deadline);
  if (!fd.ok()) return Error{"connect " + endpoint_.ToString() + ": " + fd.error()};
  std::unique_ptr<ByteStream> stream;
  if (tls_) {
    TlsOptions options{spec_.tls_verify, spec_.host_header.empty() ? endpoint_.address.ToString()
                                                                    : spec_.host_header};
    auto tls = TlsStream::Handshake(std::move(fd).value(), options, deadline);
    if (!tls.ok()) return Error{tls.error()};
    stream = std::move(tls).value();
  } else {
    stream = std::make_unique<PlainStream>(std::move(fd).value());
  }

  if (Status sent = stream->WriteAll(request_, deadline); !sent.ok()) return Error{sent.error()};
  HttpResponseParser parser;
  char buffer[16 * 1024];
  while (!parser.done()) {
    auto n = stream->ReadSome(buffer, sizeof(buffer), deadline);
    if (!n.ok()) return Error{n.error()};
    Status parsed = *n == 0 ? parser.FinishAtEof() : parser.Feed(std::string_view(buffer, *n));
    if (!parsed.ok()) return Error{parsed.error()};
  }
  return Response{parser.status(), parser.body()};
}

ProbeResult HttpProbe::Check(Clock::time_point deadline) {
  const auto start = Clock::now();
  auto response = Fetch(deadline);
  if (!response.ok()) {
    // Every wait in Fetch ends at the deadline, so passing it means a timeout.
    if (Clock::now() >= deadline) return Failed(start, "timed out after " + FormatMillis(deadline - start));
    return Failed(start, response.error());
  }
  ProbeResult result;
  if (!StatusExpected(response->status, spec_.expect_status)) {
    result = Failed(start, "HTTP " + std::to_string(response->status) + " from " + spec_.url +
                               " (expected " + DescribeRanges(spec_.expect_status) + ")");
  } else if (!spec_.expect_body.empty() && response->body.find(spec_.expect_body) == std::string::npos) {
    result = Failed(start, "body does not contain \"" + spec_.expect_body + "\"");
  } else {
    result = Passed(start, "HTTP " + std::to_string(response->status));
  }
  result.details["http_status"] = std::to_string(response->status);
  return result;
}

}  // namespace rsagent::probes
