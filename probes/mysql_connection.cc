#include "probes/mysql_connection.h"

#include <errmsg.h>
#include <mysql.h>
#include <poll.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <functional>

namespace rsagent::probes {

namespace {

// How long a goodbye (COM_QUIT) may take before the socket is cut.
constexpr auto kQuitTimeout = std::chrono::milliseconds(200);

// Client-side error codes (CR_*) are 2000-2999; below are the server's.
bool IsClientError(unsigned code) { return code >= 2000 && code < 3000; }

// connect(2) itself failed: no socket file, refused, unreachable. Nothing
// reached a server, so there is nothing to spare by waiting (issue 16).
bool NothingListening(unsigned code) {
  return code == CR_CONNECTION_ERROR || code == CR_CONN_HOST_ERROR;
}

int MillisLeft(Clock::time_point deadline) {
  auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 1 << 30));
}

// Drives a non-blocking call to completion: `status` is what its *_start
// returned, `resume(ready)` calls the matching *_cont. False at the deadline.
bool Await(MYSQL* mysql, int status, Clock::time_point deadline,
           const std::function<int(int)>& resume) {
  while (status != 0) {
    int timeout = MillisLeft(deadline);
    if (timeout == 0) return false;
    if (status & MYSQL_WAIT_TIMEOUT) {
      timeout = std::min(timeout, static_cast<int>(mysql_get_timeout_value_ms(mysql)));
    }
    pollfd pfd{mysql_get_socket(mysql), 0, 0};
    if (status & MYSQL_WAIT_READ) pfd.events |= POLLIN;
    if (status & MYSQL_WAIT_WRITE) pfd.events |= POLLOUT;
    if (status & MYSQL_WAIT_EXCEPT) pfd.events |= POLLPRI;
    int n = poll(&pfd, 1, timeout);
    if (n < 0 && errno == EINTR) continue;
    int ready = 0;
    if (n > 0) {
      if (pfd.revents & (POLLIN | POLLERR | POLLHUP)) ready |= MYSQL_WAIT_READ;
      if (pfd.revents & (POLLOUT | POLLERR | POLLHUP)) ready |= MYSQL_WAIT_WRITE;
      if (pfd.revents & POLLPRI) ready |= MYSQL_WAIT_EXCEPT;
    } else if ((status & MYSQL_WAIT_TIMEOUT) && Clock::now() < deadline) {
      ready = MYSQL_WAIT_TIMEOUT;  // the library's own timer fired first
    } else {
      continue;  // our deadline: the loop head returns false
    }
    status = resume(ready);
  }
  return true;
}

std::string CurrentUserName() {
  char buf[4096];
  passwd pw{};
  passwd* found = nullptr;
  if (getpwuid_r(geteuid(), &pw, buf, sizeof buf, &found) != 0 || found == nullptr) return "";
  return pw.pw_name;
}

std::vector<MysqlRow> ReadRows(MYSQL_RES* result) {
  std::vector<MysqlRow> rows;
  unsigned columns = mysql_num_fields(result);
  MYSQL_FIELD* fields = mysql_fetch_fields(result);
  while (MYSQL_ROW values = mysql_fetch_row(result)) {
    unsigned long* lengths = mysql_fetch_lengths(result);
    MysqlRow row;
    for (unsigned i = 0; i < columns; ++i) {
      row[fields[i].name] =
          values[i] ? MysqlValue(std::string(values[i], lengths[i])) : std::nullopt;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

std::string MysqlTarget::ToString() const { return address ? address->ToString() : socket; }

MysqlConnection::MysqlConnection(MysqlTarget target, std::optional<MysqlCredentials> credentials,
                                 MysqlBackoff backoff)
    : target_(std::move(target)), credentials_(std::move(credentials)), backoff_(backoff) {}

MysqlConnection::~MysqlConnection() { Close(/*graceful=*/true); }

void MysqlConnection::Close(bool graceful) {
  if (mysql_ == nullptr) return;
  // COM_QUIT through the non-blocking API: a server that cannot take it
  // within kQuitTimeout gets the socket cut instead.
  if (graceful) {
    const Clock::time_point deadline = Clock::now() + kQuitTimeout;
    int status = mysql_close_start(mysql_);
    if (Await(mysql_, status, deadline,
              [&](int ready) { return mysql_close_cont(mysql_, ready); })) {
      mysql_ = nullptr;
      return;
    }
  }
  // The server may be frozen mid-reply: cut the socket first so the
  // COM_QUIT mysql_close() sends fails at once instead of waiting.
  int fd = mysql_get_socket(mysql_);
  if (fd >= 0) shutdown(fd, SHUT_RDWR);
  mysql_close(mysql_);
  mysql_ = nullptr;
}

Status MysqlConnection::Fail(const std::string& what, bool timed_out) {
  last_error_code_ = timed_out ? CR_SERVER_LOST : mysql_errno(mysql_);
  std::string message = what + ": " + (timed_out ? "timed out" : std::string(mysql_error(mysql_)));
  if (timed_out || IsClientError(last_error_code_)) {
    Close(/*graceful=*/false);
  }
  return Error{message};
}

Status MysqlConnection::Connect(Clock::time_point deadline) {
  if (!backoff_.MayAttempt(Clock::now())) return Error{last_connect_error_ + NextAttempt()};
  mysql_ = mysql_init(nullptr);
  if (mysql_ == nullptr) return Error{"connect: out of memory"};
  // Whole seconds are the library's own safety net for its few blocking
  // paths; the deadline proper is enforced by Await.
  unsigned seconds = static_cast<unsigned>(std::max(1, (MillisLeft(deadline) + 999) / 1000));
  mysql_options(mysql_, MYSQL_OPT_NONBLOCK, nullptr);
  mysql_options(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &seconds);
  mysql_options(mysql_, MYSQL_OPT_READ_TIMEOUT, &seconds);
  mysql_options(mysql_, MYSQL_OPT_WRITE_TIMEOUT, &seconds);
  unsigned protocol = target_.address ? MYSQL_PROTOCOL_TCP : MYSQL_PROTOCOL_SOCKET;
  mysql_options(mysql_, MYSQL_OPT_PROTOCOL, &protocol);

  std::string host = target_.address ? target_.address->address.ToString() : "localhost";
  std::string user = credentials_ ? credentials_->user : CurrentUserName();
  const char* password = credentials_ ? credentials_->password.c_str() : nullptr;
  unsigned port = target_.address ? target_.address->port : 0;
  const char* socket = target_.address ? nullptr : target_.socket.c_str();

  MYSQL* connected = nullptr;
  int status = mysql_real_connect_start(&connected, mysql_, host.c_str(), user.c_str(), password,
                                        nullptr, port, socket, 0);
  bool done = Await(mysql_, status, deadline,
                    [&](int ready) { return mysql_real_connect_cont(&connected, mysql_, ready); });
  if (!done || connected == nullptr) {
    const bool nothing_listening = done && NothingListening(mysql_errno(mysql_));
    Status failed = Fail("connect to " + target_.ToString(), !done);
    Close(/*graceful=*/false);  // even a refusal (bad password) leaves nothing to reuse
    last_connect_error_ = failed.error();
    if (nothing_listening) {
      // Tried again on the next run: a restarted server is seen within one
      // interval of accepting connections, and starts with a fresh backoff.
      backoff_.Succeeded();
      return Error{last_connect_error_ + "; nothing listening: tried again on every run"};
    }
    backoff_.Failed(Clock::now());
    return Error{last_connect_error_ + NextAttempt()};
  }
  backoff_.Succeeded();
  ++connects_;
  return Status::Ok();
}

Result<std::vector<MysqlRow>> MysqlConnection::Query(std::string_view sql,
                                                     Clock::time_point deadline) {
  if (mysql_ == nullptr) {
    RETURN_IF_ERROR(Connect(deadline));
  }
  int query_result = 0;
  int status = mysql_real_query_start(&query_result, mysql_, sql.data(), sql.size());
  if (!Await(mysql_, status, deadline,
             [&](int ready) { return mysql_real_query_cont(&query_result, mysql_, ready); })) {
    return Fail(std::string(sql), true);
  }
  if (query_result != 0) return Fail(std::string(sql), false);
  MYSQL_RES* result = nullptr;
  status = mysql_store_result_start(&result, mysql_);
  if (!Await(mysql_, status, deadline,
             [&](int ready) { return mysql_store_result_cont(&result, mysql_, ready); })) {
    return Fail(std::string(sql), true);
  }
  if (result == nullptr) {
    if (mysql_errno(mysql_) != 0) return Fail(std::string(sql), false);
    last_error_code_ = 0;
    return std::vector<MysqlRow>{};  // a statement without a result set
  }
  std::vector<MysqlRow> rows = ReadRows(result);
  mysql_free_result(result);
  last_error_code_ = 0;
  return rows;
}

std::string MysqlConnection::NextAttempt() const {
  auto wait = std::chrono::ceil<std::chrono::seconds>(backoff_.next_attempt() - Clock::now());
  return "; next connect attempt in " + std::to_string(std::max<long long>(wait.count(), 0)) + "s";
}

std::string MysqlConnection::server_version() const {
  return mysql_ == nullptr ? "" : mysql_get_server_info(mysql_);
}

}  // namespace rsagent::probes
