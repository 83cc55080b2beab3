// TLS over a non-blocking socket with OpenSSL, every step bounded by a
// deadline (cpp-httplib's per-read timeouts cannot bound a server that
// trickles bytes). Certificates are verified only when asked: local probes
// usually face self-signed certificates.
#pragma once

#include <memory>
#include <string>

#include "probes/byte_stream.h"

namespace rsagent::probes {

struct TlsOptions {
  bool verify = false;      // check the chain against the system CA store
  std::string server_name;  // SNI and the name verified; empty = none
};

class TlsStream : public ByteStream {
 public:
  // Runs the handshake on a connected socket.
  static Result<std::unique_ptr<TlsStream>> Handshake(UniqueFd fd, const TlsOptions& options,
                                                      Clock::time_point deadline);
  ~TlsStream() override;

  Status WriteAll(std::string_view data, Clock::time_point deadline) override;
  Result<size_t> ReadSome(char* buffer, size_t size, Clock::time_point deadline) override;

 private:
  struct State;
  explicit TlsStream(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace rsagent::probes
