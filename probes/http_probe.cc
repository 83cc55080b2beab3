#include "probes/http_probe.h"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>

#include "common/ip_address.h"
#include "common/socket.h"
#include "conf/http_url.h"
#include "probes/probe_outcome.h"

namespace rsagent::probes {

namespace {

constexpr size_t kMaxBody = 64 * 1024;  // enough for any marker; the rest is not read

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

// The name a TLS server is asked for (SNI) and verified against: the
// host_header without its port, when it is a name rather than an address.
std::string ServerName(const std::string& host_header) {
  std::string name = host_header;
  if (name.starts_with("[")) return "";  // "[::1]:8443": an address
  if (size_t colon = name.rfind(':'); colon != std::string::npos) name.resize(colon);
  if (name.empty() || IpAddress::Parse(name).ok()) return "";
  return name;
}

}  // namespace

struct HttpProbe::Transfer {
  CURL* curl = nullptr;
  curl_slist* headers = nullptr;
  curl_slist* resolve = nullptr;
  Endpoint endpoint;
  std::string body;
  bool body_full = false;
  char error[CURL_ERROR_SIZE] = {};

  ~Transfer() {
    curl_easy_cleanup(curl);
    curl_slist_free_all(headers);
    curl_slist_free_all(resolve);
  }

  static size_t OnBody(char* data, size_t, size_t size, void* self) {
    auto* transfer = static_cast<Transfer*>(self);
    const size_t room = kMaxBody - transfer->body.size();
    transfer->body.append(data, std::min(room, size));
    if (size < room) return size;
    transfer->body_full = true;
    return 0;  // ends the transfer: what a marker needs has arrived
  }
};

Result<std::unique_ptr<HttpProbe>> HttpProbe::Create(const conf::HttpProbeSpec& spec) {
  auto url = conf::HttpUrl::Parse(spec.url);
  if (!url.ok()) return Error{url.error()};
  if (spec.expect_status.empty()) return Error{"http probe needs at least one expected status"};
  auto address = IpAddress::Parse(url->host == "localhost" ? "127.0.0.1" : url->host);
  if (!address.ok()) return Error{address.error()};

  // Thread-safe in libcurl >= 7.84 (Debian 12 has 7.88); once is enough.
  static std::once_flag curl_initialized;
  std::call_once(curl_initialized, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

  auto transfer = std::make_unique<Transfer>();
  transfer->endpoint = Endpoint{*address, url->port};
  transfer->curl = curl_easy_init();
  if (!transfer->curl) return Error{"libcurl: cannot create a transfer"};
  CURL* curl = transfer->curl;

  // The URL names the address itself (no DNS, ever), unless a host_header
  // names the server: then that name, pinned to the address with
  // CURLOPT_RESOLVE, so TLS sends it as SNI and verifies it.
  const std::string name = url->tls ? ServerName(spec.host_header) : "";
  std::string host = address->is_v4() ? address->ToString() : "[" + address->ToString() + "]";
  if (!name.empty()) {
    transfer->resolve = curl_slist_append(
        nullptr, (name + ":" + std::to_string(url->port) + ":" + address->ToString()).c_str());
    host = name;
  }
  const std::string full_url = std::string(url->tls ? "https://" : "http://") + host + ":" +
                               std::to_string(url->port) + url->target;
  if (!spec.host_header.empty()) {
    transfer->headers = curl_slist_append(nullptr, ("Host: " + spec.host_header).c_str());
  }

  bool ok = curl_easy_setopt(curl, CURLOPT_URL, full_url.c_str()) == CURLE_OK;
  ok = ok && curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK;
  ok = ok && curl_easy_setopt(curl, CURLOPT_NOPROXY, "*") == CURLE_OK;  // never http_proxy
  ok = ok && curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;  // threads, no SIGALRM
  ok = ok && curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1) == CURLE_OK;
  ok = ok && curl_easy_setopt(curl, CURLOPT_USERAGENT, "rsagent-probe") == CURLE_OK;
  ok = ok && curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L) == CURLE_OK;
  ok = ok && curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L) == CURLE_OK;
  ok = ok && curl_easy_setopt(curl, CURLOPT_HTTPHEADER, transfer->headers) == CURLE_OK;
  ok = ok && curl_easy_setopt(curl, CURLOPT_RESOLVE, transfer->resolve) == CURLE_OK;
  ok = ok && curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, spec.tls_verify ? 1L : 0L) == CURLE_OK;
  ok = ok && curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, spec.tls_verify ? 2L : 0L) == CURLE_OK;
  ok = ok && curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, transfer->error) == CURLE_OK;
  ok = ok && curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Transfer::OnBody) == CURLE_OK;
  ok = ok && curl_easy_setopt(curl, CURLOPT_WRITEDATA, transfer.get()) == CURLE_OK;
  if (!ok) return Error{"libcurl rejected the probe's options for " + full_url};
  return std::unique_ptr<HttpProbe>(new HttpProbe(spec, std::move(transfer)));
}

HttpProbe::HttpProbe(conf::HttpProbeSpec spec, std::unique_ptr<Transfer> transfer)
    : spec_(std::move(spec)), transfer_(std::move(transfer)) {}

HttpProbe::~HttpProbe() = default;

ProbeResult HttpProbe::Check(Clock::time_point deadline) {
  const auto start = Clock::now();
  Transfer& t = *transfer_;
  t.body.clear();
  t.body_full = false;
  t.error[0] = '\0';
  // Rounded up, plus 1: libcurl's own clock may call it a timeout up to a
  // millisecond before ours does. Never 0 (which means "no limit").
  const long budget_ms = std::max(1, MillisUntil(deadline)) + 1;
  curl_easy_setopt(t.curl, CURLOPT_TIMEOUT_MS, budget_ms);
  curl_easy_setopt(t.curl, CURLOPT_CONNECTTIMEOUT_MS, budget_ms);
  const CURLcode code = curl_easy_perform(t.curl);

  if (code == CURLE_OPERATION_TIMEDOUT) {
    return Failed(start, "timed out after " + FormatMillis(deadline - start));
  }
  if (code == CURLE_COULDNT_CONNECT) {
    long os_error = 0;
    curl_easy_getinfo(t.curl, CURLINFO_OS_ERRNO, &os_error);
    return Failed(start, "connect " + t.endpoint.ToString() + ": " +
                             (os_error ? ErrnoText(static_cast<int>(os_error)) : t.error));
  }
  if (code == CURLE_PEER_FAILED_VERIFICATION) {
    return Failed(start, std::string("TLS: certificate verify failed: ") + t.error);
  }
  if (code != CURLE_OK && !(code == CURLE_WRITE_ERROR && t.body_full)) {
    return Failed(start, std::string(t.error[0] ? t.error : curl_easy_strerror(code)));
  }
  long status = 0;
  curl_easy_getinfo(t.curl, CURLINFO_RESPONSE_CODE, &status);

  ProbeResult result;
  const int http_status = static_cast<int>(status);
  if (!StatusExpected(http_status, spec_.expect_status)) {
    result = Failed(start, "HTTP " + std::to_string(http_status) + " from " + spec_.url +
                               " (expected " + DescribeRanges(spec_.expect_status) + ")");
  } else if (!spec_.expect_body.empty() && t.body.find(spec_.expect_body) == std::string::npos) {
    result = Failed(start, "body does not contain \"" + spec_.expect_body + "\"");
  } else {
    result = Passed(start, "HTTP " + std::to_string(http_status));
  }
  result.details["http_status"] = std::to_string(http_status);
  return result;
}

}  // namespace rsagent::probes
