#include "pair/peer_reader.h"

#include <curl/curl.h>

#include <algorithm>
#include <memory>

#include "pair/mysql_query.h"
#include "probes/mysql_row.h"

namespace rsagent::pair {

namespace {

// One attempt per round; a dead peer costs one SYN per round.
constexpr auto kRetry = std::chrono::milliseconds(100);
// A report is a few hundred bytes; anything much bigger is not one.
constexpr size_t kMaxBody = 16 * 1024;

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const size_t n = size * count;
  if (body->size() + n > kMaxBody) return 0;  // aborts the transfer
  body->append(data, n);
  return n;
}

struct HttpAnswer {
  long status = 0;
  std::string body;
};

// One GET with a fresh connection; the whole exchange ends by the deadline
// (CURLOPT_TIMEOUT_MS), proxies ignored.
Result<HttpAnswer> Get(const std::string& url, std::chrono::steady_clock::time_point deadline) {
  const auto budget = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (budget.count() <= 0) return Error{"GET " + url + ": timed out"};
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) return Error{"GET " + url + ": out of memory"};
  HttpAnswer answer;
  char error[CURL_ERROR_SIZE] = "";
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "rsagent-pair");
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(budget.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(budget.count()));
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer.body);
  const CURLcode code = curl_easy_perform(c);
  if (code == CURLE_OPERATION_TIMEDOUT) return Error{"GET " + url + ": timed out"};
  if (code != CURLE_OK) {
    return Error{"GET " + url + ": " + (error[0] ? error : curl_easy_strerror(code))};
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &answer.status);
  return answer;
}

}  // namespace

PeerReader::PeerReader(Endpoint mysql, Endpoint agent, std::string credentials_path)
    : credentials_path_(std::move(credentials_path)),
      connection_(probes::MysqlTarget{.address = mysql}, std::nullopt,
                  probes::MysqlBackoff(kRetry, kRetry)),
      agent_(agent),
      url_("http://" + agent.ToString() + "/writer") {}

PeerSqlFacts PeerReader::ReadSql(Clock::time_point deadline) {
  PeerSqlFacts facts;
  auto rows =
      QueryFresh(connection_, credentials_path_,
                 "SELECT @@gtid_binlog_pos AS binlog, @@gtid_current_pos AS current", deadline);
  if (!rows.ok()) {
    facts.error = rows.error();
    return facts;
  }
  for (const char* column : {"binlog", "current"}) {
    const probes::MysqlValue value =
        rows->empty() ? std::nullopt : probes::FindColumn(rows->front(), {column});
    auto position = GtidPosition::Parse(value.value_or(""));
    if (!value || !position.ok()) {
      facts.error = "@@gtid_" + std::string(column) +
                    "_pos of the peer: " + (value ? position.error() : std::string("no value"));
      return facts;
    }
    (column == std::string("binlog") ? facts.binlog : facts.current) = *position;
  }
  facts.reachable = true;
  return facts;
}

PeerAgentFacts PeerReader::ReadAgent(Clock::time_point deadline) const {
  PeerAgentFacts facts;
  auto response = Get(url_, deadline);
  if (!response.ok()) {
    facts.error = response.error();
    return facts;
  }
  if (response->status != 200) {
    facts.error = "GET " + url_ + ": HTTP " + std::to_string(response->status) +
                  (response->status == 403 ? " (add this node to the peer's agent.allow)" : "");
    return facts;
  }
  auto report = ParseWriterReport(response->body);
  if (!report.ok()) {
    facts.error = "GET " + url_ + ": " + report.error();
    return facts;
  }
  facts.reachable = true;
  facts.report = std::move(report).value();
  return facts;
}

}  // namespace rsagent::pair
