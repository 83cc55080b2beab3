// The control socket's protocol: one request line, one response line, both
// JSON objects, then the server closes. Small on purpose: requests are
// bounded (kMaxControlLine) and every field is checked here, once.
//
//   {"command":"drain","service":"web"}   {"command":"undrain","all":true}
//   {"command":"status"}                  {"command":"reload"}
//   -> {"ok":true,"message":"web: drain","errors":[],"warnings":[],"status":{...}}
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace rsagent::agent {

inline constexpr size_t kMaxControlLine = 4096;
// Status responses carry the whole /status document.
inline constexpr size_t kMaxControlResponse = 1 << 20;

enum class ControlCommand { kStatus, kDrain, kUndrain, kMaint, kReload };
const char* ControlCommandName(ControlCommand command);

struct ControlRequest {
  ControlCommand command = ControlCommand::kStatus;
  std::string service;  // drain/undrain/maint: one service, or
  bool all = false;     // every service
};

struct ControlResponse {
  bool ok = false;
  std::string message;                // one line for the operator
  std::vector<std::string> errors;    // e.g. a rejected reload's config errors
  std::vector<std::string> warnings;  // done, but not as asked (e.g. drain not persisted)
  nlohmann::json status;              // the /status document, for kStatus
};

// Builds a request from the CLI's words ("drain", {"web"} / {"--all"}).
Result<ControlRequest> RequestFromArgs(const std::string& command,
                                       const std::vector<std::string>& args);

std::string EncodeRequest(const ControlRequest& request);  // one line, '\n'-terminated
Result<ControlRequest> DecodeRequest(std::string_view line);
std::string EncodeResponse(const ControlResponse& response);
Result<ControlResponse> DecodeResponse(std::string_view line);

}  // namespace rsagent::agent
