#include "probes/http_probe.h"

#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <mutex>

#include "common/ip_address.h"
#include "common/socket.h"
#include "conf/http_url.h"
#include "conf/toml_reader.h"
#include "probes/probe_outcome.h"

namespace rsagent::probes {

namespace {

constexpr size_t kMaxBody = 64 * 1024;  // enough for any marker; the rest is not read

std::string DescribeRanges(const std::vector<StatusRange>& ranges) {
  std::string text;
  for (const auto& range : ranges) {
    if (!text.empty()) text += ",";
    text += std::to_string(range.low);
    if (range.high != range.low) text += "-" + std::to_string(range.high);
  }
  return text;
}

bool StatusExpected(int status, const std::vector<StatusRange>& ranges) {
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

Result<std::string> ParseUrl(std::string_view text) {
  RETURN_IF_ERROR(conf::HttpUrl::Parse(text));
  return std::string(text);
}

Result<std::string> ParseHostHeader(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
      return Error{"\"" + std::string(text) +
                   "\" is not a host name (no spaces or control characters)"};
    }
  }
  if (text.empty()) return Error{"must not be empty; omit it to send the URL's host"};
  return std::string(text);
}

Result<StatusRange> ParseStatusRange(std::string_view text) {
  auto number = [](std::string_view digits, int* out) {
    if (digits.size() != 3 || digits.find_first_not_of("0123456789") != std::string_view::npos) {
      return false;
    }
    *out = std::stoi(std::string(digits));
    return *out >= 100 && *out <= 599;
  };
  const size_t dash = text.find('-');
  StatusRange range;
  const bool ok =
      dash == std::string_view::npos
          ? number(text, &range.low) && number(text, &range.high)
          : number(text.substr(0, dash), &range.low) && number(text.substr(dash + 1), &range.high);
  if (!ok || range.low > range.high) {
    return Error{"\"" + std::string(text) +
                 "\" is not a status or range of statuses like \"200-299\" (within 100..599)"};
  }
  return range;
}

void ReadExpectStatus(conf::TableReader& table, HttpProbeSpec* spec) {
  const toml::node* node = table.Node("expect_status");
  if (node == nullptr) return;
  const std::string path = table.KeyPath("expect_status");
  if (!node->is_array() || node->as_array()->empty()) {
    table.ErrorAt(node->source(), path,
                  "expected a non-empty array of statuses (200) or ranges (\"200-299\")");
    return;
  }
  std::vector<StatusRange> ranges;
  const toml::array& array = *node->as_array();
  for (size_t i = 0; i < array.size(); ++i) {
    const toml::node& element = array[i];
    const std::string element_path = path + "[" + std::to_string(i) + "]";
    if (const auto* code = element.as_integer()) {
      if (code->get() < 100 || code->get() > 599) {
        table.ErrorAt(element.source(), element_path,
                      std::to_string(code->get()) + " is not an HTTP status (100..599)");
        continue;
      }
      ranges.push_back({static_cast<int>(code->get()), static_cast<int>(code->get())});
    } else if (const auto* text = element.as_string()) {
      auto range = ParseStatusRange(text->get());
      if (!range) {
        table.ErrorAt(element.source(), element_path, range.error());
        continue;
      }
      ranges.push_back(*range);
    } else {
      table.ErrorAt(element.source(), element_path,
                    "expected a status (200) or a range (\"200-299\"), got " +
                        std::string(conf::DescribeType(element.type())));
    }
  }
  spec->expect_status = ranges;
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

Result<std::unique_ptr<HttpProbe::Transfer>> HttpProbe::MakeTransfer(const HttpProbeSpec& spec) {
  // Valid by construction: conf/ read the spec (HttpProbeSpec::Read).
  const Result<conf::HttpUrl> url = conf::HttpUrl::Parse(spec.url);
  const Result<IpAddress> address =
      IpAddress::Parse(url->host == "localhost" ? "127.0.0.1" : url->host);

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
  return transfer;
}

HttpProbe::HttpProbe(HttpProbeSpec spec) : spec_(std::move(spec)), transfer_(MakeTransfer(spec_)) {}

HttpProbe::~HttpProbe() = default;

ProbeResult HttpProbe::Attempt(Clock::time_point deadline) {
  const auto start = Clock::now();
  if (!transfer_.ok()) return Failed(start, transfer_.error());
  Transfer& t = **transfer_;
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
    ProbeResult failed =
        Failed(start, "connect " + t.endpoint.ToString() + ": " +
                          (os_error ? ErrnoText(static_cast<int>(os_error)) : t.error));
    failed.outcome.gone = os_error == ECONNREFUSED;
    return failed;
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

std::vector<Endpoint> HttpProbeSpec::Listeners() const {
  auto parsed = conf::HttpUrl::Parse(url);  // validated at load time
  if (!parsed) return {};
  auto address = IpAddress::Parse(parsed->host == "localhost" ? "127.0.0.1" : parsed->host);
  if (!address) return {};
  return {Endpoint{*address, parsed->port}};
}

HttpProbeSpec HttpProbeSpec::Read(conf::TableReader& table) {
  HttpProbeSpec spec;
  table.Require("url", "e.g. \"http://127.0.0.1/\"");
  if (auto v = table.Parsed<std::string>("url", ParseUrl)) spec.url = *v;
  ReadExpectStatus(table, &spec);
  if (auto v = table.String("expect_body")) spec.expect_body = *v;
  if (auto v = table.Parsed<std::string>("host", ParseHostHeader)) spec.host_header = *v;
  if (auto v = table.Bool("tls_verify")) {
    spec.tls_verify = *v;
    if (*v && spec.url.starts_with("http://")) {
      table.ErrorAt(table.Node("tls_verify")->source(), table.KeyPath("tls_verify"),
                    "applies only to https:// URLs, and the url is http://");
    }
  }
  return spec;
}

}  // namespace rsagent::probes
