// Seeded, bounded fuzzing of WAL recovery: random bytes, frame soup and mutated valid WALs. The only
// assertions: no crash or hang, replay returns or throws vesper::Error(kCorruption), whatever it applied
// is exactly a prefix of the original batches, and a repaired WAL replays cleanly a second time.
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "vesper/crc32c.h"
#include "vesper/error.h"
#include "vesper/file_util.h"
#include "vesper/wal_format.h"
#include "vesper/wal_reader.h"
#include "vesper/wal_writer.h"

namespace vesper {
namespace {

namespace fs = std::filesystem;

// A fresh directory, removed with everything in it. Every replay fsyncs, and an fsync costs milliseconds
// on a real disk, so thousands of iterations prefer tmpfs.
class FuzzTempDir {
 public:
  FuzzTempDir() {
    fs::path root = fs::temp_directory_path();
    std::error_code ec;
    if (const char* env = std::getenv("VESPER_TEST_FAST_TMPDIR")) {
      root = env;
    } else if (fs::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0) {
      root = "/dev/shm";
    }
    std::string tmpl = (root / "vesper_wal_fuzz_XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~FuzzTempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  FuzzTempDir(const FuzzTempDir&) = delete;
  FuzzTempDir& operator=(const FuzzTempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void spit(const fs::path& p, std::string_view bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A valid WAL: its segment files and the batches it holds.
struct Corpus {
  std::vector<std::pair<std::string, std::string>> segments;  // name, bytes
  std::vector<WalBatch> batches;
};

Corpus make_corpus(const fs::path& dir, std::mt19937_64& rng, int batches, std::size_t segment_bytes) {
  Corpus c;
  {
    auto w = WalWriter::open(dir, 1, segment_bytes, 24);
    for (int i = 0; i < batches; ++i) {
      std::string p(rng() % 90, '\0');
      for (auto& ch : p) ch = static_cast<char>(rng() & 0xFF);
      const std::uint64_t lsn = w.append(p);
      c.batches.push_back({lsn, std::move(p)});
    }
    w.sync();
  }
  for (const auto& n : list_files(dir)) c.segments.emplace_back(n, slurp(dir / n));
  fs::remove_all(dir);
  return c;
}

std::size_t pick(std::mt19937_64& rng, std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng() % n); }

std::string random_string(std::mt19937_64& rng, std::size_t n) {
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xFF);
  return s;
}

void put_u32(std::string& s, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4 && at + i < s.size(); ++i) s[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

// Offsets where frames start in an unmutated segment, to aim header mutations.
std::vector<std::size_t> frame_starts(const std::string& bytes) {
  std::vector<std::size_t> out;
  for (std::size_t pos = 0; pos + kWalHeaderSize <= bytes.size();) {
    const auto len = decode_wal_header(reinterpret_cast<const unsigned char*>(bytes.data() + pos)).length;
    if (len < kWalFrameOverhead || len > bytes.size() - pos) break;  // already mutated: stop here
    out.push_back(pos);
    pos += len;
  }
  return out;
}

void mutate(std::string& s, std::mt19937_64& rng) {
  const auto starts = frame_starts(s);
  switch (rng() % 10) {
    case 0:  // bit flips
      for (int i = 0, n = 1 + static_cast<int>(rng() % 8); i < n && !s.empty(); ++i) {
        const std::size_t bit = pick(rng, s.size() * 8);
        s[bit / 8] = static_cast<char>(s[bit / 8] ^ (1 << (bit % 8)));
      }
      break;
    case 1:  // truncation
      s.resize(pick(rng, s.size() + 1));
      break;
    case 2: {  // duplicate a range somewhere
      const std::size_t a = pick(rng, s.size() + 1);
      const std::size_t len = pick(rng, s.size() - a + 1);
      const std::string chunk = s.substr(a, len);
      s.insert(pick(rng, s.size() + 1), chunk);
      break;
    }
    case 3:  // insert random bytes
      s.insert(pick(rng, s.size() + 1), random_string(rng, 1 + pick(rng, 64)));
      break;
    case 4: {  // delete a range
      const std::size_t a = pick(rng, s.size() + 1);
      s.erase(a, pick(rng, s.size() - a + 1));
      break;
    }
    case 5: {  // hostile length field at a frame start
      if (starts.empty()) break;
      const std::size_t at = starts[pick(rng, starts.size())];
      const std::uint32_t lens[] = {0u, 1u, 23u, 24u, 0xFFFFFFFFu, static_cast<std::uint32_t>(kWalMaxFrameSize),
                                    static_cast<std::uint32_t>(kWalMaxFrameSize + 1),
                                    static_cast<std::uint32_t>(s.size() - at + 1), static_cast<std::uint32_t>(rng())};
      put_u32(s, at + 4, lens[pick(rng, std::size(lens))]);
      break;
    }
    case 6: {  // zero a range (what a filesystem shows for unwritten blocks)
      const std::size_t a = pick(rng, s.size() + 1);
      std::fill_n(s.begin() + static_cast<std::ptrdiff_t>(a), pick(rng, s.size() - a + 1), '\0');
      break;
    }
    case 7: {  // swap two whole frames (each stays CRC-valid)
      if (starts.size() < 2) break;
      const std::size_t i = pick(rng, starts.size() - 1);
      const std::size_t a = starts[i], b = starts[i + 1];
      const std::size_t end = i + 2 < starts.size() ? starts[i + 2] : s.size();
      s = s.substr(0, a) + s.substr(b, end - b) + s.substr(a, b - a) + s.substr(end);
      break;
    }
    case 8: {  // overwrite bytes with random ones
      const std::size_t a = pick(rng, s.size() + 1);
      for (std::size_t i = a, n = pick(rng, 16); i < s.size() && i < a + n; ++i) s[i] = static_cast<char>(rng());
      break;
    }
    default: {  // append a valid-looking but foreign frame (wrong LSN or type)
      std::string f;
      append_wal_frame(f, static_cast<WalFrameType>(rng() % 5), rng() % 64, random_string(rng, pick(rng, 20)));
      s += f;
      break;
    }
  }
}

// A sequence of crafted frames (mostly CRC-valid, LSNs mostly in order): reaches the semantic checks.
std::string frame_soup(std::mt19937_64& rng) {
  std::string s;
  std::uint64_t lsn = 1 + rng() % 3;
  std::string pending;
  std::uint32_t pending_frames = 0;
  for (int i = 0, n = 1 + static_cast<int>(rng() % 10); i < n; ++i) {
    const auto kind = rng() % 6;
    if (kind <= 2) {
      const std::string p = random_string(rng, pick(rng, 30));
      append_wal_frame(s, WalFrameType::kData, lsn, p);
      pending += p;
      ++pending_frames;
    } else if (kind == 3) {
      WalCommit c{pending_frames, crc32c(pending.data(), pending.size()), pending.size()};
      if (rng() % 4 == 0) c.data_frames += 1;
      append_wal_frame(s, WalFrameType::kCommit, lsn, encode_wal_commit(c));
      pending.clear();
      pending_frames = 0;
    } else if (kind == 4) {
      append_wal_frame(s, WalFrameType::kPadding, lsn, random_string(rng, pick(rng, 8)));
    } else {
      s += random_string(rng, pick(rng, 40));
    }
    lsn += rng() % 8 == 0 ? rng() % 3 : 1;  // occasionally repeat or skip an LSN
  }
  return s;
}

struct Outcome {
  std::vector<WalBatch> applied;
  bool threw = false;
  WalRecovery rec;
};

Outcome run_replay(const fs::path& dir, std::uint64_t after_lsn) {
  Outcome o;
  try {
    o.rec = replay_wal(dir, after_lsn, [&](const WalBatch& b) { o.applied.push_back(b); });
  } catch (const Error& e) {
    o.threw = true;
    EXPECT_EQ(e.code(), ErrorCode::kCorruption) << e.what();
    EXPECT_EQ(e.component(), "wal");
  }
  return o;
}

TEST(WalFuzz, RandomAndMutatedWals) {
  FuzzTempDir t;
  const fs::path dir = t.path() / "wal";
  std::mt19937_64 rng(0x5eed);
  const Corpus single = make_corpus(dir, rng, 8, WalWriter::kDefaultSegmentBytes);
  const Corpus multi = make_corpus(dir, rng, 12, 300);
  ASSERT_EQ(single.segments.size(), 1u);
  ASSERT_GE(multi.segments.size(), 3u);

  const int kIterations = 3000;
  std::size_t returned = 0;
  std::size_t repaired = 0;
  for (int iter = 0; iter < kIterations; ++iter) {
    SCOPED_TRACE("iteration " + std::to_string(iter));
    fs::remove_all(dir);
    fs::create_directory(dir);
    const auto scenario = rng() % 8;
    const Corpus* corpus = nullptr;
    if (scenario == 0) {  // random bytes
      std::string s = random_string(rng, pick(rng, 600));
      if (rng() % 2 && s.size() >= 4) put_u32(s, 0, kWalMagic);
      spit(dir / wal_segment_name(1), s);
    } else if (scenario == 1) {
      spit(dir / wal_segment_name(1 + rng() % 3), frame_soup(rng));
    } else {
      corpus = scenario < 5 ? &single : &multi;
      const std::size_t victim = pick(rng, corpus->segments.size());
      for (std::size_t i = 0; i < corpus->segments.size(); ++i) {
        std::string bytes = corpus->segments[i].second;
        if (i == victim) {
          for (int m = 0, n = 1 + static_cast<int>(rng() % 3); m < n; ++m) mutate(bytes, rng);
        }
        spit(dir / corpus->segments[i].first, bytes);
      }
    }
    std::uint64_t after = 0;
    if (rng() % 2) {
      after = corpus && !corpus->batches.empty() ? corpus->batches[pick(rng, corpus->batches.size())].lsn : rng() % 16;
    }

    const Outcome o = run_replay(dir, after);
    for (std::size_t i = 1; i < o.applied.size(); ++i) ASSERT_LT(o.applied[i - 1].lsn, o.applied[i].lsn);
    for (const auto& b : o.applied) ASSERT_GT(b.lsn, after);
    if (corpus) {  // exactly a prefix of the original batches after `after`
      std::vector<const WalBatch*> expected;
      for (const auto& b : corpus->batches) {
        if (b.lsn > after) expected.push_back(&b);
      }
      ASSERT_LE(o.applied.size(), expected.size());
      for (std::size_t i = 0; i < o.applied.size(); ++i) {
        ASSERT_EQ(o.applied[i].lsn, expected[i]->lsn);
        ASSERT_EQ(o.applied[i].payload, expected[i]->payload);
      }
    }
    if (o.threw) continue;
    ++returned;
    if (o.rec.truncated) ++repaired;
    ASSERT_EQ(o.rec.batches, o.applied.size());
    ASSERT_GE(o.rec.last_lsn, after);
    // Recovery leaves a clean WAL: a second replay sees the same batches and repairs nothing.
    const Outcome again = run_replay(dir, after);
    ASSERT_FALSE(again.threw);
    ASSERT_FALSE(again.rec.truncated);
    ASSERT_EQ(again.applied.size(), o.applied.size());
    for (std::size_t i = 0; i < o.applied.size(); ++i) ASSERT_EQ(again.applied[i].payload, o.applied[i].payload);
    ASSERT_EQ(again.rec.last_lsn, o.rec.last_lsn);
  }
  // The mix must exercise both outcomes, or the fuzzer is not reaching the interesting paths.
  EXPECT_GT(returned, static_cast<std::size_t>(kIterations) / 10);
  EXPECT_GT(repaired, static_cast<std::size_t>(kIterations) / 20);
  EXPECT_GT(static_cast<std::size_t>(kIterations) - returned, static_cast<std::size_t>(kIterations) / 10);
}

}  // namespace
}  // namespace vesper
