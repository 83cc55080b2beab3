#include "probes/http_response_parser.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace rsagent::probes {

namespace {

constexpr size_t kMaxChunkSizeLine = 1024;

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  return lower;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

Status HttpResponseParser::Feed(std::string_view data) {
  if (state_ == State::kDone) return Status::Ok();
  pending_.append(data);
  while (true) {
    auto progressed = Step();
    if (!progressed.ok()) return Error{progressed.error()};
    if (!*progressed) return Status::Ok();
  }
}

Status HttpResponseParser::FinishAtEof() {
  if (state_ == State::kEofBody) state_ = State::kDone;
  if (state_ == State::kDone) return Status::Ok();
  if (state_ == State::kHeaders && status_ == 0 && pending_.empty()) {
    return Error{"connection closed without a response"};
  }
  return Error{"connection closed before the response was complete"};
}

void HttpResponseParser::AppendBody(std::string_view data) {
  body_.append(data.substr(0, kMaxBody - std::min(kMaxBody, body_.size())));
  if (body_.size() >= kMaxBody) state_ = State::kDone;  // enough to judge the page
}

Status HttpResponseParser::ParseHeaders(std::string_view head) {
  size_t line_end = head.find("\r\n");
  std::string_view status_line = head.substr(0, line_end);
  // "HTTP/1.1 200 OK"
  if (!status_line.starts_with("HTTP/1.") || status_line.size() < 12 || status_line[8] != ' ') {
    return Error{"not an HTTP/1.x response: \"" + std::string(status_line.substr(0, 40)) + "\""};
  }
  std::string_view code = status_line.substr(9, 3);
  auto [end, ec] = std::from_chars(code.data(), code.data() + code.size(), status_);
  if (ec != std::errc() || end != code.data() + 3 || status_ < 100 || status_ > 999) {
    return Error{"bad status line: \"" + std::string(status_line.substr(0, 40)) + "\""};
  }

  bool chunked = false;
  bool has_length = false;
  size_t length = 0;
  std::string_view rest = line_end == std::string_view::npos ? "" : head.substr(line_end + 2);
  while (!rest.empty()) {
    size_t next = rest.find("\r\n");
    std::string_view line = rest.substr(0, next);
    rest = next == std::string_view::npos ? "" : rest.substr(next + 2);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Error{"bad header line in response"};
    std::string name = Lower(Trim(line.substr(0, colon)));
    std::string_view value = Trim(line.substr(colon + 1));
    if (name == "transfer-encoding" && Lower(value).find("chunked") != std::string::npos) {
      chunked = true;
    } else if (name == "content-length") {
      auto [p, err] = std::from_chars(value.data(), value.data() + value.size(), length);
      if (err != std::errc() || p != value.data() + value.size()) return Error{"bad Content-Length"};
      has_length = true;
    }
  }

  if (status_ < 200) {
    state_ = State::kHeaders;  // interim (100 Continue): the real response follows
  } else if (status_ == 204 || status_ == 304) {
    state_ = State::kDone;
  } else if (chunked) {
    state_ = State::kChunkSize;
  } else if (has_length) {
    remaining_ = length;
    state_ = length == 0 ? State::kDone : State::kLengthBody;
  } else {
    state_ = State::kEofBody;
  }
  return Status::Ok();
}

Result<bool> HttpResponseParser::Step() {
  switch (state_) {
    case State::kHeaders: {
      size_t end = pending_.find("\r\n\r\n");
      if (end == std::string::npos) {
        if (pending_.size() > kMaxHeaders) return Error{"response headers exceed 16 KiB"};
        return false;
      }
      if (Status parsed = ParseHeaders(std::string_view(pending_).substr(0, end)); !parsed.ok()) {
        return Error{parsed.error()};
      }
      pending_.erase(0, end + 4);
      return true;
    }
    case State::kLengthBody:
    case State::kChunkData: {
      if (pending_.empty()) return false;
      size_t n = std::min(remaining_, pending_.size());
      State next = state_ == State::kLengthBody ? State::kDone : State::kChunkEnd;
      remaining_ -= n;
      AppendBody(std::string_view(pending_).substr(0, n));
      pending_.erase(0, n);
      if (remaining_ == 0 && state_ != State::kDone) state_ = next;
      return true;
    }
    case State::kEofBody:
      AppendBody(pending_);
      pending_.clear();
      return false;
    case State::kChunkSize: {
      size_t end = pending_.find("\r\n");
      if (end == std::string::npos) {
        if (pending_.size() > kMaxChunkSizeLine) return Error{"bad chunk size line"};
        return false;
      }
      std::string_view line = std::string_view(pending_).substr(0, end);
      line = Trim(line.substr(0, line.find(';')));  // chunk extensions are ignored
      size_t size = 0;
      auto [p, err] = std::from_chars(line.data(), line.data() + line.size(), size, 16);
      if (line.empty() || err != std::errc() || p != line.data() + line.size()) {
        return Error{"bad chunk size line"};
      }
      pending_.erase(0, end + 2);
      remaining_ = size;
      state_ = size == 0 ? State::kTrailers : State::kChunkData;
      return true;
    }
    case State::kChunkEnd:
      if (pending_.size() < 2) return false;
      if (pending_.compare(0, 2, "\r\n") != 0) return Error{"chunk not followed by CRLF"};
      pending_.erase(0, 2);
      state_ = State::kChunkSize;
      return true;
    case State::kTrailers: {
      size_t end = pending_.find("\r\n");
      if (end == std::string::npos) {
        if (pending_.size() > kMaxHeaders) return Error{"response trailers exceed 16 KiB"};
        return false;
      }
      if (end == 0) state_ = State::kDone;
      pending_.erase(0, end + 2);
      return true;
    }
    case State::kDone:
      return false;
  }
  return false;
}

}  // namespace rsagent::probes
