// "Did you mean" for misspelled config keys.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rsagent::conf {

// The candidate closest to `word` by edit distance, if it is close enough to
// be a plausible typo (at most 2 edits, and at most half its length; words
// longer than 64 bytes get none, so the work is bounded whatever the input);
// otherwise "".
std::string ClosestSpelling(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace rsagent::conf
