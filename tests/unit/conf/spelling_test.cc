#include "conf/spelling.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>

namespace rsagent::conf {
namespace {

const std::vector<std::string> kKeys = {"type", "interval", "timeout", "rise", "fall", "port"};

TEST(ClosestSpelling, FindsTypos) {
  EXPECT_EQ(ClosestSpelling("rsie", kKeys), "rise");           // transposition
  EXPECT_EQ(ClosestSpelling("intervall", kKeys), "interval");  // extra letter
  EXPECT_EQ(ClosestSpelling("timout", kKeys), "timeout");      // missing letter
  EXPECT_EQ(ClosestSpelling("prot", kKeys), "port");
}

TEST(ClosestSpelling, IgnoresUnrelatedWords) {
  EXPECT_EQ(ClosestSpelling("colour", kKeys), "");
  EXPECT_EQ(ClosestSpelling("x", kKeys), "");  // too short to guess from
  EXPECT_EQ(ClosestSpelling("", kKeys), "");
  EXPECT_EQ(ClosestSpelling("rise", {}), "");
}

TEST(ClosestSpelling, PrefersTheNearestCandidate) {
  EXPECT_EQ(ClosestSpelling("fal", kKeys), "fall");
  EXPECT_EQ(ClosestSpelling("tyep", {"tap", "type"}), "type");
}

TEST(ClosestSpelling, LongWordsGetNoSuggestion) {
  // Issue 12: a 1 MB key against the known keys cost 158 MB.
  EXPECT_EQ(ClosestSpelling(std::string(1'000'000, 'x'), kKeys), "");
  EXPECT_EQ(ClosestSpelling(std::string(65, 'x'), {std::string(64, 'x')}), "");
  EXPECT_EQ(ClosestSpelling(std::string(63, 'x'), {std::string(64, 'x')}), std::string(64, 'x'));
}

// The whole (|a|+1) x (|b|+1) table, as before: the reference the bounded
// version must agree with.
size_t FullTableDistance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::string ReferenceClosest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = std::min<size_t>(2, word.size() / 2) + 1;
  for (const std::string& candidate : candidates) {
    const size_t distance = FullTableDistance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

// Seeded: random short words over a small alphabet (so typos are common)
// get the same suggestion as the full-table reference.
TEST(ClosestSpelling, AgreesWithTheFullTableOnRandomWords) {
  const unsigned seed = std::random_device{}();
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  const auto word = [&] {
    std::string w(rng() % 10, ' ');
    for (char& c : w) c = "abcd"[rng() % 4];
    return w;
  };
  for (int round = 0; round < 5000; ++round) {
    std::vector<std::string> candidates(rng() % 6);
    for (auto& c : candidates) c = word();
    const std::string w = word();
    ASSERT_EQ(ClosestSpelling(w, candidates), ReferenceClosest(w, candidates))
        << "seed " << seed << " round " << round << " word " << w;
  }
}

}  // namespace
}  // namespace rsagent::conf
