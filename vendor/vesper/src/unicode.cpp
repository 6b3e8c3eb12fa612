#include "vesper/unicode.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "unicode_tables.inc"

namespace vesper::unicode {
namespace {

using namespace unicode_tables;

constexpr char32_t kMaxCodePoint = 0x10FFFF;

// Hangul syllables compose algorithmically (Unicode §3.12).
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28, kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;

std::uint32_t raw_info(char32_t cp) noexcept {
  if (cp > kMaxCodePoint) return 0;
  return kInfoStage2[(static_cast<std::size_t>(kInfoStage1[cp >> kShift]) << kShift) | (cp & ((1u << kShift) - 1))];
}

std::uint16_t fold_index(char32_t cp) noexcept {
  if (cp > kMaxCodePoint) return 0;
  return kFoldStage2[(static_cast<std::size_t>(kFoldStage1[cp >> kShift]) << kShift) | (cp & ((1u << kShift) - 1))];
}

std::uint8_t ccc_of(char32_t cp) noexcept { return static_cast<std::uint8_t>(raw_info(cp) & 0xFF); }

// The primary composite of (a, b), or 0.
char32_t compose_pair(char32_t a, char32_t b) noexcept {
  if (a >= kLBase && a < kLBase + kLCount && b >= kVBase && b < kVBase + kVCount) {
    return kSBase + ((a - kLBase) * kVCount + (b - kVBase)) * kTCount;
  }
  if (a >= kSBase && a < kSBase + kSCount && (a - kSBase) % kTCount == 0 && b > kTBase && b < kTBase + kTCount) {
    return a + (b - kTBase);
  }
  const auto* end = kCompositions + std::size(kCompositions);
  const auto* it = std::lower_bound(kCompositions, end, std::pair{a, b}, [](const char32_t (&row)[3], const std::pair<char32_t, char32_t>& key) {
    return row[0] != key.first ? row[0] < key.first : row[1] < key.second;
  });
  return it != end && (*it)[0] == a && (*it)[1] == b ? (*it)[2] : 0;
}

}  // namespace

CharInfo info(char32_t cp) noexcept {
  const std::uint32_t v = raw_info(cp);
  return CharInfo{static_cast<std::uint8_t>(v & 0xFF), static_cast<Kind>((v >> 8) & 7), static_cast<Group>((v >> 11) & 7),
                  ((v >> 14) & 1) != 0, ((v >> 15) & 1) != 0, ((v >> 16) & 1) != 0};
}

void append_folded(char32_t cp, std::u32string& out) {
  const std::uint16_t index = fold_index(cp);
  if (index == 0) {
    out.push_back(cp);
    return;
  }
  const std::uint32_t entry = kFoldEntries[index];
  const char32_t* from = kFoldPool + (entry >> 5);
  out.append(from, entry & 31);
}

void compose(std::u32string& s) {
  // Canonical ordering: stable sort of each run of non-starters by combining class.
  for (std::size_t i = 0; i < s.size();) {
    if (ccc_of(s[i]) == 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && ccc_of(s[j]) != 0) ++j;
    if (j - i > 1) std::stable_sort(s.begin() + static_cast<std::ptrdiff_t>(i), s.begin() + static_cast<std::ptrdiff_t>(j),
                                    [](char32_t a, char32_t b) { return ccc_of(a) < ccc_of(b); });
    i = j;
  }
  // Canonical composition: each character joins the last starter unless a character in between blocks it.
  if (s.size() < 2) return;
  std::size_t starter = ccc_of(s[0]) == 0 ? 0 : std::u32string::npos;
  std::size_t out = 1;
  int last_ccc = starter == 0 ? 0 : 256;
  for (std::size_t i = 1; i < s.size(); ++i) {
    const char32_t c = s[i];
    const int cc = ccc_of(c);
    const bool adjacent = out - 1 == starter;
    if (starter != std::u32string::npos && (adjacent || (last_ccc != 0 && last_ccc < cc))) {
      if (const char32_t composite = compose_pair(s[starter], c); composite != 0) {
        s[starter] = composite;
        continue;
      }
    }
    if (cc == 0) {
      starter = out;
      last_ccc = 0;
    } else {
      last_ccc = cc;
    }
    s[out++] = c;
  }
  s.resize(out);
}

std::u32string fold(std::u32string_view cps) {
  std::u32string out;
  out.reserve(cps.size());
  for (char32_t c : cps) append_folded(c, out);
  compose(out);
  return out;
}

char32_t decode_utf8(std::string_view s, std::size_t& i) noexcept {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  std::size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++i;
    return kInvalid;
  }
  if (len > s.size() - i) {
    ++i;
    return kInvalid;
  }
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return kInvalid;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > kMaxCodePoint || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return kInvalid;
  }
  i += len;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace vesper::unicode
