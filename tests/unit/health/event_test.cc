#include "health/event.h"

#include <gtest/gtest.h>

namespace rsagent::agent {
namespace {

using std::chrono::milliseconds;

TEST(Event, StateChangeSaysWhatFromToHowLongAndWhy) {
  const Event e{.action = "service-state-change",
                .subject = "service web",
                .service = "web",
                .from = "UP",
                .to = "DOWN",
                .reason = "probe nginx: connect refused",
                .previous_for = milliseconds(123'456)};
  EXPECT_EQ(EventMessage(e),
            "service web UP -> DOWN (was UP for 2m3s): probe nginx: connect refused");
}

TEST(Event, OneOffStepIsSubjectAndText) {
  const Event e{.action = "config-reload", .subject = "reload", .reason = "reloaded t.toml"};
  EXPECT_EQ(EventMessage(e), "reload: reloaded t.toml");
}

TEST(Event, FirstStateHasNoPreviousDuration) {
  const Event e{.subject = "probe nginx", .from = "DOWN", .to = "UP"};
  EXPECT_EQ(EventMessage(e), "probe nginx DOWN -> UP");
}

TEST(Event, ElapsedReadsLikeAHuman) {
  EXPECT_EQ(FormatElapsed(milliseconds(0)), "0ms");
  EXPECT_EQ(FormatElapsed(milliseconds(850)), "850ms");
  EXPECT_EQ(FormatElapsed(milliseconds(12'345)), "12.3s");
  EXPECT_EQ(FormatElapsed(milliseconds(245'000)), "4m5s");
  EXPECT_EQ(FormatElapsed(milliseconds(3 * 3'600'000 + 2 * 60'000 + 59'000)), "3h2m");
  EXPECT_EQ(FormatElapsed(milliseconds(2 * 86'400'000LL + 4 * 3'600'000)), "2d4h");
  EXPECT_EQ(FormatElapsed(milliseconds(-5)), "0ms");
}

}  // namespace
}  // namespace rsagent::agent
