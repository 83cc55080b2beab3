// A connected byte stream with deadlines: what the HTTP probe's client
// talks through, plain TCP or TLS.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/result.h"
#include "common/socket.h"

namespace rsagent::probes {

class ByteStream {
 public:
  virtual ~ByteStream() = default;
  virtual Status WriteAll(std::string_view data, Clock::time_point deadline) = 0;
  // At most `size` bytes, waiting for the first; 0 means end of stream.
  virtual Result<size_t> ReadSome(char* buffer, size_t size, Clock::time_point deadline) = 0;
};

class PlainStream : public ByteStream {
 public:
  explicit PlainStream(UniqueFd fd) : fd_(std::move(fd)) {}
  Status WriteAll(std::string_view data, Clock::time_point deadline) override {
    return rsagent::WriteAll(fd_.get(), data, deadline);
  }
  Result<size_t> ReadSome(char* buffer, size_t size, Clock::time_point deadline) override {
    return rsagent::ReadSome(fd_.get(), buffer, size, deadline);
  }

 private:
  UniqueFd fd_;
};

}  // namespace rsagent::probes
