// The control socket's protocol: one request line, one response line, both
// JSON objects, then the server closes. Small on purpose: requests are
// bounded (kMaxControlLine) and every field is checked here, once.
//
//   {"command":"drain","service":"web"}   {"command":"undrain","all":true}
//   {"command":"status"}                  {"command":"reload","deadline_unix_ms":1764578400000}
//   {"command":"promote","service":"db-writer","confirmed":true}
//   {"command":"switchover","service":"db-writer"}
//   -> {"ok":true,"message":"web: drain","errors":[],"warnings":[],"status":{...}}
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace rsagent::agent {

inline constexpr size_t kMaxControlLine = 4096;
// Status responses carry the whole /status document.
inline constexpr size_t kMaxControlResponse = 1 << 20;

enum class ControlCommand { kStatus, kDrain, kUndrain, kMaint, kReload, kPromote, kSwitchover };
const char* ControlCommandName(ControlCommand command);

// A client that gives up (its timeout) must not see its command done later:
// the request carries the wall-clock instant after which the agent must not
// act on it ("deadline_unix_ms"; client and agent share the host's clock).
// The CLI sets it a margin before its own timeout, so a command done in time
// is answered in time. Requests without one (older CLIs) have no deadline.
using ControlDeadline = std::chrono::system_clock::time_point;

struct ControlRequest {
  ControlCommand command = ControlCommand::kStatus;
  std::string service;     // drain/undrain/maint: one service, or
  bool all = false;        // every service; promote/switchover: the [pair] service
  bool confirmed = false;  // promote: the operator typed --yes
  std::optional<ControlDeadline> deadline;
};

struct ControlResponse {
  bool ok = false;
  std::string message;                // one line for the operator
  std::vector<std::string> errors;    // e.g. a rejected reload's config errors
  std::vector<std::string> warnings;  // done, but not as asked (e.g. drain not persisted)
  std::vector<std::string> steps;     // switchover/promote: what was done, in order
  nlohmann::json status;              // the /status document, for kStatus
};

// True when the request has a deadline and it has passed at `now`.
bool DeadlinePassed(const ControlRequest& request, ControlDeadline now);
// The refusal for such a request.
ControlResponse DeadlinePassedResponse(const ControlRequest& request);

// Builds a request from the CLI's words ("drain", {"web"} / {"--all"};
// "promote", {"db-writer", "--yes"}).
Result<ControlRequest> RequestFromArgs(const std::string& command,
                                       const std::vector<std::string>& args);

std::string EncodeRequest(const ControlRequest& request);  // one line, '\n'-terminated
Result<ControlRequest> DecodeRequest(std::string_view line);
std::string EncodeResponse(const ControlResponse& response);
Result<ControlResponse> DecodeResponse(std::string_view line);

}  // namespace rsagent::agent
