#include "probes/safe_probe.h"

#include <gtest/gtest.h>

#include "common/safe_text.h"

namespace rsagent::probes {
namespace {

// Reports whatever it was given, as a probe that read hostile bytes would.
class Parrot : public Probe {
 public:
  explicit Parrot(ProbeResult result) : result_(std::move(result)) {}
  ProbeResult Attempt(Clock::time_point) override { return result_; }

 private:
  ProbeResult result_;
};

TEST(SafeProbe, EveryStringOfTheResultIsMadeSafe) {
  ProbeResult raw;
  raw.outcome = {false, "HTTP/1.1 200 junk\r\nX-Injected: yes\r\n\r\n"};
  raw.roles["writer"] = {false, "Error 1064: near 'a\nb' \xFC"};
  raw.details["last_error\n"] = std::string(1000, 'e') + "\x1b";
  raw.samples.push_back({"mysql_x\x07", {{"channel", "c\"\n\xFF"}}, 3});
  SafeProbe probe(std::make_unique<Parrot>(raw));
  const ProbeResult safe = probe.Attempt(Clock::now());

  EXPECT_EQ(safe.outcome.reason, "HTTP/1.1 200 junk\\r\\nX-Injected: yes\\r\\n\\r\\n");
  EXPECT_EQ(safe.roles.at("writer").reason, "Error 1064: near 'a\\nb' \xEF\xBF\xBD");
  ASSERT_EQ(safe.details.count("last_error\\n"), 1u);
  EXPECT_LE(safe.details.at("last_error\\n").size(), kSafeTextMaxBytes);
  ASSERT_EQ(safe.samples.size(), 1u);
  EXPECT_EQ(safe.samples[0].name, "mysql_x\\x07");
  EXPECT_EQ(safe.samples[0].labels.at("channel"), "c\"\\n\xEF\xBF\xBD");
  EXPECT_EQ(safe.samples[0].value, 3);
}

TEST(SafeProbe, SafeTextPassesThroughUnchanged) {
  ProbeResult raw;
  raw.outcome = {true, "HTTP 200"};
  raw.details["http_status"] = "200";
  const ProbeResult safe = MakeSafe(raw);
  EXPECT_TRUE(safe.outcome.ok);
  EXPECT_EQ(safe.outcome.reason, "HTTP 200");
  EXPECT_EQ(safe.details, raw.details);
}

}  // namespace
}  // namespace rsagent::probes
