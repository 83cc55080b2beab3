#include "control/control_protocol.h"

#include <gtest/gtest.h>

namespace rsagent::agent {
namespace {

TEST(ControlProtocol, RequestRoundTrips) {
  auto request = RequestFromArgs("drain", {"web"});
  ASSERT_TRUE(request) << request.error();
  const std::string line = EncodeRequest(*request);
  EXPECT_EQ(line, "{\"command\":\"drain\",\"service\":\"web\"}\n");
  auto decoded = DecodeRequest(line.substr(0, line.size() - 1));
  ASSERT_TRUE(decoded) << decoded.error();
  EXPECT_EQ(decoded->command, ControlCommand::kDrain);
  EXPECT_EQ(decoded->service, "web");
  EXPECT_FALSE(decoded->all);
}

TEST(ControlProtocol, AllIsATarget) {
  auto request = RequestFromArgs("undrain", {"--all"});
  ASSERT_TRUE(request) << request.error();
  EXPECT_TRUE(request->all);
  auto decoded = DecodeRequest(R"({"command":"maint","all":true})");
  ASSERT_TRUE(decoded) << decoded.error();
  EXPECT_EQ(decoded->command, ControlCommand::kMaint);
}

TEST(ControlProtocol, TargetRules) {
  EXPECT_FALSE(RequestFromArgs("drain", {}));
  EXPECT_FALSE(RequestFromArgs("drain", {"web", "--all"}));
  EXPECT_FALSE(RequestFromArgs("drain", {"web", "db"}));
  EXPECT_FALSE(RequestFromArgs("status", {"web"}));
  EXPECT_FALSE(RequestFromArgs("reload", {"--all"}));
  EXPECT_FALSE(RequestFromArgs("shutdown", {}));
  EXPECT_TRUE(RequestFromArgs("status", {}));
}

TEST(ControlProtocol, RejectsMalformedRequests) {
  EXPECT_FALSE(DecodeRequest("drain web"));
  EXPECT_FALSE(DecodeRequest("[]"));
  EXPECT_FALSE(DecodeRequest(R"({"service":"web"})"));
  EXPECT_FALSE(DecodeRequest(R"({"command":7})"));
  EXPECT_FALSE(DecodeRequest(R"({"command":"drain","service":1})"));
  EXPECT_FALSE(DecodeRequest(R"({"command":"drain","all":"yes"})"));
  EXPECT_FALSE(DecodeRequest(R"({"command":"status","service":"web"})"));
  auto too_long = DecodeRequest(std::string(kMaxControlLine + 1, ' '));
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error(), "request too long");
}

TEST(ControlProtocol, ResponseRoundTripsWithErrorsAndStatus) {
  ControlResponse response{.ok = false,
                           .message = "reload rejected",
                           .errors = {"f.toml:1:1: bad", "f.toml:2:1: worse"},
                           .status = nlohmann::json{{"up", true}}};
  const std::string line = EncodeResponse(response);
  ASSERT_EQ(line.back(), '\n');
  auto decoded = DecodeResponse(line);
  ASSERT_TRUE(decoded) << decoded.error();
  EXPECT_FALSE(decoded->ok);
  EXPECT_EQ(decoded->message, "reload rejected");
  EXPECT_EQ(decoded->errors, response.errors);
  EXPECT_EQ(decoded->status["up"], true);
  EXPECT_FALSE(DecodeResponse("{}"));
  EXPECT_FALSE(DecodeResponse("garbage"));
}

}  // namespace
}  // namespace rsagent::agent

namespace rsagent::agent {
namespace {

TEST(ControlProtocol, PromoteNeedsItsServiceAndAConfirmation) {
  auto refused = RequestFromArgs("promote", {"db-writer"});
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().find("confirm with --yes"), std::string::npos) << refused.error();
  EXPECT_FALSE(RequestFromArgs("promote", {"--all", "--yes"}));
  EXPECT_FALSE(RequestFromArgs("promote", {"--yes"}));
  auto promote = RequestFromArgs("promote", {"db-writer", "--yes"});
  ASSERT_TRUE(promote) << promote.error();
  EXPECT_EQ(EncodeRequest(*promote),
            "{\"command\":\"promote\",\"confirmed\":true,\"service\":\"db-writer\"}\n");
  EXPECT_FALSE(DecodeRequest(R"({"command":"promote","service":"db-writer"})"));
  EXPECT_FALSE(DecodeRequest(R"({"command":"promote","service":"db-writer","confirmed":"y"})"));
  EXPECT_TRUE(DecodeRequest(R"({"command":"promote","service":"db-writer","confirmed":true})"));
  EXPECT_FALSE(RequestFromArgs("drain", {"web", "--yes"}));
}

TEST(ControlProtocol, SwitchoverTakesTheServiceAndReturnsSteps) {
  EXPECT_TRUE(RequestFromArgs("switchover", {"db-writer"}));
  EXPECT_FALSE(RequestFromArgs("switchover", {}));
  ControlResponse response{.ok = true, .message = "done", .steps = {"0 ms: a", "9 ms: b"}};
  auto decoded = DecodeResponse(EncodeResponse(response));
  ASSERT_TRUE(decoded) << decoded.error();
  EXPECT_EQ(decoded->steps, response.steps);
}

}  // namespace
}  // namespace rsagent::agent
