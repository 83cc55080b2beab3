#include "probes/agent_get.h"

#include <curl/curl.h>

#include <cctype>
#include <memory>
#include <string_view>

#include "common/clock.h"

namespace rsagent::probes {
namespace {

// A report is a few hundred bytes; anything much bigger is not one.
constexpr size_t kMaxBody = 16 * 1024;

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const size_t n = size * count;
  if (body->size() + n > kMaxBody) return 0;  // aborts the transfer
  body->append(data, n);
  return n;
}

// "Name: value\r\n" lines; a few dozen at most, each short.
size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  const size_t n = size * count;
  const std::string_view line(data, n);
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || headers->size() >= 64) return n;
  std::string name(line.substr(0, colon));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
    value.remove_suffix(1);
  }
  (*headers)[name] = std::string(value);
  return n;
}

}  // namespace

Result<AgentAnswer> GetFromAgent(const std::string& url, SteadyTime deadline,
                                 const char* user_agent) {
  const auto budget =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (budget.count() <= 0) return Error{"GET " + url + ": timed out"};
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) return Error{"GET " + url + ": out of memory"};
  AgentAnswer answer;
  char error[CURL_ERROR_SIZE] = "";
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, user_agent);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(budget.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(budget.count()));
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &answer.headers);
  const CURLcode code = curl_easy_perform(c);
  if (code == CURLE_OPERATION_TIMEDOUT) return Error{"GET " + url + ": timed out"};
  if (code != CURLE_OK) {
    return Error{"GET " + url + ": " + (error[0] ? error : curl_easy_strerror(code))};
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &answer.status);
  return answer;
}

}  // namespace rsagent::probes
