#include "conf/spelling.h"

#include <algorithm>
#include <array>
#include <vector>

namespace rsagent::conf {
namespace {

// Keys are short; a longer word is no typo of one, and skipping it keeps a
// megabyte-long key (issue 12: 158 MB peak) from costing anything.
constexpr size_t kMaxWord = 64;

// Edits between a and b, where an edit inserts, deletes or replaces a
// letter or swaps two adjacent ones (the commonest typo). Three rows of the
// table are enough: O(|b|) memory.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::array<std::vector<size_t>, 3> rows;
  for (auto& row : rows) row.resize(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) rows[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    std::vector<size_t>& d = rows[i % 3];
    const std::vector<size_t>& up = rows[(i - 1) % 3];
    const std::vector<size_t>& up2 = rows[(i + 1) % 3];  // row i - 2
    d[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      d[j] = std::min({up[j] + 1, d[j - 1] + 1, up[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[j] = std::min(d[j], up2[j - 2] + 1);
      }
    }
  }
  return rows[a.size() % 3][b.size()];
}

}  // namespace

std::string ClosestSpelling(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.size() > kMaxWord) return "";
  std::string best;
  size_t best_distance = std::min<size_t>(2, word.size() / 2) + 1;
  for (const std::string& candidate : candidates) {
    // The distance is at least the difference in length.
    const size_t gap =
        std::max(word.size(), candidate.size()) - std::min(word.size(), candidate.size());
    if (gap >= best_distance) continue;
    const size_t distance = EditDistance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace rsagent::conf
