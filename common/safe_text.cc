#include "common/safe_text.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace rsagent {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kCut = "...";

// Decodes one UTF-8 character at the front of `text`. Returns its length and
// code point, or length 0 when the first byte does not start a valid
// character (overlong forms, surrogates and values above U+10FFFF included).
struct Decoded {
  size_t length = 0;
  uint32_t code_point = 0;
};

Decoded DecodeOne(std::string_view text) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  const uint8_t lead = byte(0);
  if (lead < 0x80) return {1, lead};
  size_t length;
  uint32_t code_point;
  uint32_t min;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, code_point = lead & 0x1F, min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, code_point = lead & 0x0F, min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, code_point = lead & 0x07, min = 0x10000;
  } else {
    return {};
  }
  if (text.size() < length) return {};
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return {};
    code_point = (code_point << 6) | (byte(i) & 0x3F);
  }
  if (code_point < min || code_point > 0x10FFFF) return {};
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return {};
  return {length, code_point};
}

bool IsControl(uint32_t c) {
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029;
}

std::string Escape(uint32_t c) {
  switch (c) {
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\t':
      return "\\t";
  }
  char buffer[12];
  if (c < 0x80) {
    std::snprintf(buffer, sizeof buffer, "\\x%02x", static_cast<unsigned>(c));
  } else {
    std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
  }
  return buffer;
}

}  // namespace

std::string SafeText(std::string_view raw, size_t max_bytes) {
  std::string out;
  out.reserve(std::min(raw.size(), max_bytes));
  // Room for "..." is kept until we know whether the text is cut.
  const size_t budget = max_bytes >= kCut.size() ? max_bytes - kCut.size() : 0;
  size_t cut_at = std::string::npos;  // out's length when it last fitted `budget`
  while (!raw.empty()) {
    Decoded d = DecodeOne(raw);
    std::string_view piece;
    std::string escaped;
    if (d.length == 0) {
      piece = kReplacement;
      d.length = 1;
    } else if (IsControl(d.code_point)) {
      escaped = Escape(d.code_point);
      piece = escaped;
    } else {
      piece = raw.substr(0, d.length);
    }
    raw.remove_prefix(d.length);
    if (out.size() + piece.size() > budget && cut_at == std::string::npos) cut_at = out.size();
    if (out.size() + piece.size() > max_bytes) {
      out.resize(cut_at);
      out += max_bytes >= kCut.size() ? kCut : "";
      return out;
    }
    out += piece;
  }
  return out;
}

bool IsSafeText(std::string_view text) {
  while (!text.empty()) {
    const Decoded d = DecodeOne(text);
    if (d.length == 0 || IsControl(d.code_point)) return false;
    text.remove_prefix(d.length);
  }
  return true;
}

}  // namespace rsagent
