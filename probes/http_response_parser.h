// An incremental HTTP/1.1 response parser for the probe's own client: status
// line, headers, and a body framed by Content-Length, chunked encoding or the
// end of the stream. Keeps at most kMaxBody bytes of body; a probe only needs
// the start of a page to look for its marker.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace rsagent::probes {

class HttpResponseParser {
 public:
  static constexpr size_t kMaxHeaders = 16 * 1024;
  static constexpr size_t kMaxBody = 64 * 1024;

  // Consumes bytes as they arrive. An error means the response is malformed.
  Status Feed(std::string_view data);
  // The peer closed the connection: completes a read-to-EOF body, or fails
  // if the response was cut short.
  Status FinishAtEof();

  // The whole response (or its first kMaxBody body bytes) has arrived.
  bool done() const { return state_ == State::kDone; }
  int status() const { return status_; }
  const std::string& body() const { return body_; }

 private:
  enum class State { kHeaders, kLengthBody, kEofBody, kChunkSize, kChunkData, kChunkEnd, kTrailers, kDone };

  Status ParseHeaders(std::string_view head);
  void AppendBody(std::string_view data);
  // One step of the state machine over pending_; false when it needs more bytes.
  Result<bool> Step();

  State state_ = State::kHeaders;
  std::string pending_;  // received, not yet consumed
  int status_ = 0;
  size_t remaining_ = 0;  // in the current Content-Length body or chunk
  std::string body_;
};

}  // namespace rsagent::probes
