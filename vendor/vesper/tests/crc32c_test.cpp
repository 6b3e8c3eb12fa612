#include "vesper/crc32c.h"

#include <gtest/gtest.h>

#include <string>

namespace vesper {

TEST(Crc32c, CheckValue) {
  const std::string s = "123456789";
  EXPECT_EQ(crc32c(s.data(), s.size()), 0xE3069283u);
}

TEST(Crc32c, EmptyInputIsZero) { EXPECT_EQ(crc32c("", 0), 0u); }

TEST(Crc32c, IncrementalEqualsOneShot) {
  std::string s;
  for (int i = 0; i < 1000; ++i) s.push_back(static_cast<char>(i * 31 + 7));
  const std::uint32_t whole = crc32c(s.data(), s.size());
  for (std::size_t cut : {0u, 1u, 7u, 8u, 9u, 500u, 999u}) {
    std::uint32_t part = crc32c(s.data(), cut);
    part = crc32c(s.data() + cut, s.size() - cut, part);
    EXPECT_EQ(part, whole) << "cut at " << cut;
  }
}

TEST(Crc32c, KnownVectors) {
  // RFC 3720 (iSCSI) appendix B.4 test vectors.
  std::string zeros(32, '\0');
  EXPECT_EQ(crc32c(zeros.data(), zeros.size()), 0x8A9136AAu);
  std::string ones(32, '\xFF');
  EXPECT_EQ(crc32c(ones.data(), ones.size()), 0x62A8AB43u);
}

}  // namespace vesper
