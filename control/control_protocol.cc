#include "control/control_protocol.h"

#include <algorithm>
#include <array>
#include <utility>

#include "common/json_dump.h"

namespace rsagent::agent {

namespace {

constexpr std::array<std::pair<ControlCommand, const char*>, 7> kCommands{{
    {ControlCommand::kStatus, "status"},
    {ControlCommand::kDrain, "drain"},
    {ControlCommand::kUndrain, "undrain"},
    {ControlCommand::kMaint, "maint"},
    {ControlCommand::kReload, "reload"},
    {ControlCommand::kPromote, "promote"},
    {ControlCommand::kSwitchover, "switchover"},
}};

Result<ControlCommand> CommandByName(const std::string& name) {
  for (const auto& [command, text] : kCommands) {
    if (name == text) return command;
  }
  return Error{"unknown command \"" + name + "\""};
}

bool TakesService(ControlCommand command) {
  return command == ControlCommand::kDrain || command == ControlCommand::kUndrain ||
         command == ControlCommand::kMaint;
}

bool IsPairCommand(ControlCommand command) {
  return command == ControlCommand::kPromote || command == ControlCommand::kSwitchover;
}

Status CheckTarget(const ControlRequest& request) {
  const std::string name = ControlCommandName(request.command);
  if (IsPairCommand(request.command)) {
    if (request.all || request.service.empty()) return Error{name + " needs the pair's SERVICE"};
    if (request.command == ControlCommand::kPromote && !request.confirmed) {
      return Error{
          "promote makes this node the writer without proof that it holds the peer's commits; "
          "if the peer may still take writes, both will. Check `rsagent status` on both nodes, "
          "then confirm with --yes"};
    }
    return Status::Ok();
  }
  if (request.confirmed) return Error{"--yes applies only to promote"};
  const bool takes = TakesService(request.command);
  if (takes && request.all == !request.service.empty()) {
    return Error{std::string(ControlCommandName(request.command)) +
                 " needs exactly one of SERVICE or --all"};
  }
  if (!takes && (request.all || !request.service.empty())) {
    return Error{std::string(ControlCommandName(request.command)) + " takes no service"};
  }
  return Status::Ok();
}

}  // namespace

const char* ControlCommandName(ControlCommand command) {
  for (const auto& [c, text] : kCommands) {
    if (c == command) return text;
  }
  return "?";
}

Result<ControlRequest> RequestFromArgs(const std::string& command,
                                       const std::vector<std::string>& args) {
  ASSIGN_OR_RETURN(auto parsed, CommandByName(command));
  ControlRequest request{.command = parsed};
  for (const auto& arg : args) {
    if (arg == "--all") {
      request.all = true;
    } else if (arg == "--yes") {
      request.confirmed = true;
    } else if (request.service.empty()) {
      request.service = arg;
    } else {
      return Error{"unexpected argument \"" + arg + "\""};
    }
  }
  RETURN_IF_ERROR(CheckTarget(request));
  return request;
}

bool DeadlinePassed(const ControlRequest& request, ControlDeadline now) {
  return request.deadline && now > *request.deadline;
}

ControlResponse DeadlinePassedResponse(const ControlRequest& request) {
  return ControlResponse{.message = std::string("not done: ") +
                                    ControlCommandName(request.command) +
                                    " arrived after the client's deadline (it has given up); "
                                    "nothing changed"};
}

std::string EncodeRequest(const ControlRequest& request) {
  nlohmann::json j{{"command", ControlCommandName(request.command)}};
  if (!request.service.empty()) j["service"] = request.service;
  if (request.all) j["all"] = true;
  if (request.confirmed) j["confirmed"] = true;
  if (request.deadline) {
    j["deadline_unix_ms"] =
        std::chrono::duration_cast<std::chrono::milliseconds>(request.deadline->time_since_epoch())
            .count();
  }
  return DumpJson(j) + "\n";
}

Result<ControlRequest> DecodeRequest(std::string_view line) {
  if (line.size() > kMaxControlLine) return Error{"request too long"};
  const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Error{"request is not a JSON object"};
  if (!j.contains("command") || !j["command"].is_string()) {
    return Error{"request has no \"command\" string"};
  }
  ASSIGN_OR_RETURN(auto command, CommandByName(j["command"].get<std::string>()));
  ControlRequest request{.command = command};
  if (j.contains("service")) {
    if (!j["service"].is_string()) return Error{"\"service\" must be a string"};
    request.service = j["service"].get<std::string>();
  }
  if (j.contains("all")) {
    if (!j["all"].is_boolean()) return Error{"\"all\" must be true or false"};
    request.all = j["all"].get<bool>();
  }
  if (j.contains("confirmed")) {
    if (!j["confirmed"].is_boolean()) return Error{"\"confirmed\" must be true or false"};
    request.confirmed = j["confirmed"].get<bool>();
  }
  if (auto deadline = j.find("deadline_unix_ms"); deadline != j.end()) {
    // Far-future values are capped (no overflow): they only mean "no hurry".
    constexpr uint64_t kMaxMs = 1ull << 42;  // year 2109; fits a nanosecond clock
    if (!deadline->is_number_unsigned()) return Error{"\"deadline_unix_ms\" must be a number"};
    const uint64_t ms = std::min(deadline->get<uint64_t>(), kMaxMs);
    request.deadline = ControlDeadline(std::chrono::duration_cast<ControlDeadline::duration>(
        std::chrono::milliseconds(static_cast<int64_t>(ms))));
  }
  RETURN_IF_ERROR(CheckTarget(request));
  return request;
}

std::string EncodeResponse(const ControlResponse& response) {
  nlohmann::json j{{"ok", response.ok},
                   {"message", response.message},
                   {"errors", response.errors},
                   {"warnings", response.warnings}};
  if (!response.steps.empty()) j["steps"] = response.steps;
  if (!response.status.is_null()) j["status"] = response.status;
  return DumpJson(j) + "\n";
}

Result<ControlResponse> DecodeResponse(std::string_view line) {
  const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || !j.contains("ok") || !j["ok"].is_boolean()) {
    return Error{"malformed response from the agent"};
  }
  ControlResponse response{.ok = j["ok"].get<bool>()};
  if (auto message = j.find("message"); message != j.end()) {
    if (!message->is_string()) return Error{"malformed response from the agent: bad \"message\""};
    response.message = message->get<std::string>();
  }
  for (auto [key, into] :
       {std::pair{"errors", &response.errors}, std::pair{"warnings", &response.warnings}}) {
    if (auto list = j.find(key); list != j.end() && list->is_array()) {
      for (const auto& e : *list) {
        if (e.is_string()) into->push_back(e.get<std::string>());
      }
    }
  }
  if (auto steps = j.find("steps"); steps != j.end() && steps->is_array()) {
    for (const auto& s : *steps) {
      if (s.is_string()) response.steps.push_back(s.get<std::string>());
    }
  }
  if (auto status = j.find("status"); status != j.end()) response.status = *status;
  return response;
}

}  // namespace rsagent::agent
