// Write-ahead log: writer, recovery rules (torn tail vs. corruption), format and file helpers.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <csignal>
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

// Where the many-iteration tests work: every replay fsyncs, and an fsync costs milliseconds on a real
// disk even when nothing is dirty, so they prefer tmpfs. The other tests use the real temp directory.
fs::path fast_temp_root() {
  if (const char* env = std::getenv("VESPER_TEST_FAST_TMPDIR")) return env;
  std::error_code ec;
  if (fs::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0) return "/dev/shm";
  return fs::temp_directory_path();
}

// A fresh directory, removed with everything in it.
class TempDir {
 public:
  explicit TempDir(bool fast = false) {
    const fs::path root = fast ? fast_temp_root() : fs::temp_directory_path();
    std::string tmpl = (root / "vesper_wal_test_XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path wal() const { return path_ / "wal"; }

 private:
  fs::path path_;
};

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_bytes(const fs::path& p, std::string_view bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

struct Replayed {
  WalRecovery rec;
  std::vector<WalBatch> batches;
};

Replayed replay(const fs::path& dir, std::uint64_t after_lsn = 0) {
  Replayed r;
  r.rec = replay_wal(dir, after_lsn, [&](const WalBatch& b) { r.batches.push_back(b); });
  return r;
}

// Runs replay expecting kCorruption; returns the message and what was applied before the throw.
std::string replay_corrupt(const fs::path& dir, std::uint64_t after_lsn = 0,
                           std::vector<WalBatch>* applied = nullptr) {
  std::vector<WalBatch> got;
  try {
    replay_wal(dir, after_lsn, [&](const WalBatch& b) { got.push_back(b); });
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kCorruption) << e.what();
    EXPECT_EQ(e.component(), "wal");
    if (applied) *applied = std::move(got);
    return e.what();
  }
  ADD_FAILURE() << "expected a kCorruption error";
  return {};
}

std::string random_bytes(std::mt19937_64& rng, std::size_t n) {
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xFF);
  return s;
}

std::vector<std::string> segment_names(const fs::path& dir) {
  std::vector<std::string> out;
  for (auto& n : list_files(dir)) {
    if (parse_wal_segment_name(n)) out.push_back(n);
  }
  return out;
}

// Hand-built batch: data frames of at most `split` bytes + a commit frame; returns the commit LSN.
std::uint64_t build_batch(std::string& out, std::uint64_t first_lsn, std::string_view payload, std::size_t split = 64) {
  std::uint64_t lsn = first_lsn;
  std::uint32_t frames = 0;
  std::size_t off = 0;
  do {
    append_wal_frame(out, WalFrameType::kData, lsn++, payload.substr(off, split));
    off += split;
    ++frames;
  } while (off < payload.size());
  WalCommit c{frames, crc32c(payload.data(), payload.size()), payload.size()};
  append_wal_frame(out, WalFrameType::kCommit, lsn, encode_wal_commit(c));
  return lsn;
}

// A CRC-valid frame with arbitrary header fields.
std::string raw_frame(std::uint16_t type, std::uint16_t reserved, std::uint64_t lsn, std::string_view payload) {
  std::string f;
  append_wal_frame(f, WalFrameType::kData, lsn, payload);
  f[8] = static_cast<char>(type & 0xFF);
  f[9] = static_cast<char>(type >> 8);
  f[10] = static_cast<char>(reserved & 0xFF);
  f[11] = static_cast<char>(reserved >> 8);
  const std::uint32_t crc = crc32c(f.data(), f.size() - 4);
  for (int i = 0; i < 4; ++i) f[f.size() - 4 + i] = static_cast<char>((crc >> (8 * i)) & 0xFF);
  return f;
}

struct FrameSpan {
  std::size_t start = 0;
  std::size_t length = 0;
  std::uint16_t type = 0;
};

std::vector<FrameSpan> parse_frames(const std::string& bytes) {
  std::vector<FrameSpan> out;
  for (std::size_t pos = 0; pos < bytes.size();) {
    const auto h = decode_wal_header(reinterpret_cast<const unsigned char*>(bytes.data() + pos));
    out.push_back({pos, h.length, h.type});
    pos += h.length;
  }
  return out;
}

const std::string kSeg1 = "00000000000000000001.log";

// ---------------------------------------------------------------------------------------------------
// Format

TEST(WalFormat, SegmentNames) {
  EXPECT_EQ(wal_segment_name(1), kSeg1);
  EXPECT_EQ(wal_segment_name(UINT64_MAX), "18446744073709551615.log");
  EXPECT_EQ(parse_wal_segment_name("00000000000000000042.log"), 42u);
  EXPECT_EQ(parse_wal_segment_name("18446744073709551615.log"), UINT64_MAX);
  EXPECT_FALSE(parse_wal_segment_name("18446744073709551616.log"));  // overflows
  EXPECT_FALSE(parse_wal_segment_name("42.log"));
  EXPECT_FALSE(parse_wal_segment_name("0000000000000000004x.log"));
  EXPECT_FALSE(parse_wal_segment_name("00000000000000000042.log.tmp"));
  EXPECT_FALSE(parse_wal_segment_name("00000000000000000042.lgo"));
}

TEST(WalFormat, FrameLayoutIsLittleEndian) {
  std::string f;
  append_wal_frame(f, WalFrameType::kCommit, 0x0102030405060708ull, "xy");
  ASSERT_EQ(f.size(), 26u);
  EXPECT_EQ(f.substr(0, 4), "AWSV");  // 0x56535741 little-endian
  EXPECT_EQ(static_cast<unsigned char>(f[4]), 26);
  EXPECT_EQ(static_cast<unsigned char>(f[8]), 2);
  EXPECT_EQ(static_cast<unsigned char>(f[12]), 0x08);
  EXPECT_EQ(static_cast<unsigned char>(f[19]), 0x01);
  EXPECT_EQ(f.substr(20, 2), "xy");
  const auto h = decode_wal_header(reinterpret_cast<const unsigned char*>(f.data()));
  EXPECT_EQ(h.magic, kWalMagic);
  EXPECT_EQ(h.length, 26u);
  EXPECT_EQ(h.type, 2u);
  EXPECT_EQ(h.reserved, 0u);
  EXPECT_EQ(h.lsn, 0x0102030405060708ull);
  EXPECT_TRUE(wal_frame_crc_ok(reinterpret_cast<const unsigned char*>(f.data()), f.size()));
  f[21] ^= 1;
  EXPECT_FALSE(wal_frame_crc_ok(reinterpret_cast<const unsigned char*>(f.data()), f.size()));

  const WalCommit c{3, 0xDEADBEEF, 1ull << 40};
  const std::string enc = encode_wal_commit(c);
  ASSERT_EQ(enc.size(), kWalCommitPayloadSize);
  const auto d = decode_wal_commit(enc);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->data_frames, 3u);
  EXPECT_EQ(d->payload_crc, 0xDEADBEEFu);
  EXPECT_EQ(d->payload_size, 1ull << 40);
  EXPECT_FALSE(decode_wal_commit(enc.substr(1)));
}

// ---------------------------------------------------------------------------------------------------
// Writer + replay

TEST(Wal, RoundTripManyBatches) {
  TempDir t;
  std::mt19937_64 rng(1);
  std::vector<std::string> payloads = {"", "a", std::string(1, '\0')};
  for (int i = 0; i < 300; ++i) payloads.push_back(random_bytes(rng, rng() % 3000));
  std::vector<std::uint64_t> lsns;
  {
    auto w = WalWriter::open(t.wal(), 1);
    EXPECT_EQ(w.written_lsn(), 0u);
    for (const auto& p : payloads) {
      const std::uint64_t lsn = w.append(p);
      EXPECT_EQ(lsn, lsns.empty() ? 2u : lsns.back() + 2);  // one data frame + one commit frame
      lsns.push_back(lsn);
    }
    EXPECT_EQ(w.written_lsn(), lsns.back());
    EXPECT_EQ(w.synced_lsn(), 0u);
    w.sync();
    EXPECT_EQ(w.synced_lsn(), lsns.back());
    EXPECT_EQ(w.total_bytes(), fs::file_size(t.wal() / kSeg1));
  }
  for (int pass = 0; pass < 2; ++pass) {  // replay is idempotent on a clean WAL
    const auto r = replay(t.wal());
    ASSERT_EQ(r.batches.size(), payloads.size());
    for (std::size_t i = 0; i < payloads.size(); ++i) {
      EXPECT_EQ(r.batches[i].lsn, lsns[i]);
      EXPECT_EQ(r.batches[i].payload, payloads[i]) << i;
    }
    EXPECT_EQ(r.rec.batches, payloads.size());
    EXPECT_EQ(r.rec.last_lsn, lsns.back());
    EXPECT_FALSE(r.rec.truncated);
  }
}

TEST(Wal, LargePayloadIsSplitIntoFrames) {
  TempDir t;
  std::mt19937_64 rng(2);
  const std::string big = random_bytes(rng, kWalDefaultFramePayload * 5 / 2);  // 3 data frames
  {
    auto w = WalWriter::open(t.wal(), 1);
    EXPECT_EQ(w.append(big), 4u);  // data 1..3, commit 4
    EXPECT_EQ(w.append("x"), 6u);
    w.sync();
  }
  EXPECT_EQ(fs::file_size(t.wal() / kSeg1),
            3 * kWalFrameOverhead + big.size() + kWalCommitFrameSize + kWalFrameOverhead + 1 + kWalCommitFrameSize);
  const auto r = replay(t.wal());
  ASSERT_EQ(r.batches.size(), 2u);
  EXPECT_EQ(r.batches[0].lsn, 4u);
  EXPECT_TRUE(r.batches[0].payload == big);
  EXPECT_EQ(r.batches[1].payload, "x");
}

TEST(Wal, SmallFrameSplitLsnArithmetic) {
  TempDir t;
  std::mt19937_64 rng(3);
  std::vector<std::string> payloads;
  std::vector<std::uint64_t> lsns;
  {
    auto w = WalWriter::open(t.wal(), 100, WalWriter::kDefaultSegmentBytes, 7);
    std::uint64_t next = 100;
    for (std::size_t n = 0; n <= 30; ++n) {
      payloads.push_back(random_bytes(rng, n));
      const std::uint64_t frames = n == 0 ? 1 : (n + 6) / 7;
      EXPECT_EQ(w.append(payloads.back()), next + frames);
      lsns.push_back(next + frames);
      next += frames + 1;
    }
  }
  const auto r = replay(t.wal(), 99);
  ASSERT_EQ(r.batches.size(), payloads.size());
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    EXPECT_EQ(r.batches[i].lsn, lsns[i]);
    EXPECT_EQ(r.batches[i].payload, payloads[i]);
  }
}

TEST(Wal, RotatesAtBatchBoundariesAndRemovesOldSegments) {
  TempDir t;
  std::mt19937_64 rng(4);
  std::vector<std::string> payloads;
  std::vector<std::uint64_t> lsns;
  auto w = WalWriter::open(t.wal(), 1, 512, 64);
  for (int i = 0; i < 60; ++i) {
    payloads.push_back(random_bytes(rng, rng() % 200));
    lsns.push_back(w.append(payloads.back()));
  }
  w.sync();
  const auto names = segment_names(t.wal());
  ASSERT_GT(names.size(), 5u);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string bytes = read_bytes(t.wal() / names[i]);
    total += bytes.size();
    const auto frames = parse_frames(bytes);
    const auto first = decode_wal_header(reinterpret_cast<const unsigned char*>(bytes.data()));
    EXPECT_EQ(first.lsn, *parse_wal_segment_name(names[i]));  // named after its first frame
    EXPECT_EQ(frames.back().type, static_cast<std::uint16_t>(WalFrameType::kCommit));  // ends with a batch
    // Only the last batch may push it past the limit.
    std::size_t last_batch_start = 0;
    for (std::size_t f = 0; f + 1 < frames.size(); ++f) {
      if (frames[f].type == static_cast<std::uint16_t>(WalFrameType::kCommit)) last_batch_start = frames[f + 1].start;
    }
    EXPECT_LT(last_batch_start, 512u);
  }
  EXPECT_EQ(w.total_bytes(), total);
  {
    const auto r = replay(t.wal());
    ASSERT_EQ(r.batches.size(), payloads.size());
    for (std::size_t i = 0; i < payloads.size(); ++i) EXPECT_EQ(r.batches[i].payload, payloads[i]);
  }

  // A checkpoint at lsns[30]: every segment wholly below lsns[30] + 1 may go.
  const std::uint64_t cut = lsns[30] + 1;
  w.remove_segments_before(cut);
  const auto left = segment_names(t.wal());
  ASSERT_LT(left.size(), names.size());
  EXPECT_LE(*parse_wal_segment_name(left[0]), cut);              // still holds LSN `cut`…
  if (left.size() > 1) {
    EXPECT_GT(*parse_wal_segment_name(left[1]), cut);  // …and nothing removable stayed
  }
  std::uint64_t left_total = 0;
  for (const auto& n : left) left_total += fs::file_size(t.wal() / n);
  EXPECT_EQ(w.total_bytes(), left_total);

  const auto r = replay(t.wal(), lsns[30]);
  ASSERT_EQ(r.batches.size(), payloads.size() - 31);
  for (std::size_t i = 31; i < payloads.size(); ++i) EXPECT_EQ(r.batches[i - 31].payload, payloads[i]);
  // Replaying from before the oldest remaining segment would silently miss batches: refused.
  EXPECT_NE(replay_corrupt(t.wal(), 0).find("missing"), std::string::npos);

  // The open segment is never removed, even when everything is checkpointed.
  w.remove_segments_before(UINT64_MAX);
  ASSERT_EQ(segment_names(t.wal()).size(), 1u);
  EXPECT_EQ(segment_names(t.wal())[0], left.back());
  const std::uint64_t more = w.append("more");
  w.sync();
  const auto r2 = replay(t.wal(), lsns.back());
  ASSERT_EQ(r2.batches.size(), 1u);
  EXPECT_EQ(r2.batches[0].lsn, more);
}

TEST(Wal, RemoveSegmentsBeforeWithoutOpenSegment) {
  TempDir t;
  std::uint64_t last = 0;
  {
    auto w = WalWriter::open(t.wal(), 1, 1);  // every batch in its own segment
    for (int i = 0; i < 5; ++i) last = w.append("p" + std::to_string(i));
    w.sync();
  }
  ASSERT_EQ(segment_names(t.wal()).size(), 5u);
  auto w = WalWriter::open(t.wal(), last + 1, 1);  // has not created a segment yet
  w.remove_segments_before(last + 1);              // a checkpoint covers everything
  EXPECT_TRUE(segment_names(t.wal()).empty());
  EXPECT_EQ(w.total_bytes(), 0u);
  const auto r = replay(t.wal(), last);
  EXPECT_EQ(r.batches.size(), 0u);
  EXPECT_EQ(r.rec.last_lsn, last);
}

TEST(Wal, ReplaySkipsBatchesUpToAfterLsn) {
  TempDir t;
  std::vector<std::uint64_t> lsns;
  {
    auto w = WalWriter::open(t.wal(), 1, WalWriter::kDefaultSegmentBytes, 4);
    for (int i = 0; i < 10; ++i) lsns.push_back(w.append(std::string(static_cast<std::size_t>(i), 'a' + static_cast<char>(i))));
  }
  for (std::size_t k = 0; k <= lsns.size(); ++k) {
    const std::uint64_t after = k == 0 ? 0 : lsns[k - 1];
    const auto r = replay(t.wal(), after);
    ASSERT_EQ(r.batches.size(), lsns.size() - k);
    for (std::size_t i = k; i < lsns.size(); ++i) EXPECT_EQ(r.batches[i - k].lsn, lsns[i]);
    EXPECT_EQ(r.rec.batches, lsns.size() - k);
    EXPECT_EQ(r.rec.last_lsn, lsns.back());
  }
  // after_lsn inside a batch (a data frame's LSN): the batch's LSN is its commit's, so it is applied.
  EXPECT_EQ(replay(t.wal(), lsns[5] - 1).batches.front().lsn, lsns[5]);
  // A checkpoint ahead of the WAL: nothing to apply, the writer continues after the checkpoint.
  const auto r = replay(t.wal(), lsns.back() + 5);
  EXPECT_EQ(r.batches.size(), 0u);
  EXPECT_EQ(r.rec.last_lsn, lsns.back() + 5);
}

TEST(Wal, ReopenContinuesAfterReplay) {
  TempDir t;
  {
    auto w = WalWriter::open(t.wal(), 1);
    for (int i = 0; i < 5; ++i) w.append("first" + std::to_string(i));
  }  // closed without sync: the data is still in the page cache
  const auto r1 = replay(t.wal());
  ASSERT_EQ(r1.batches.size(), 5u);
  {
    auto w = WalWriter::open(t.wal(), r1.rec.last_lsn + 1);
    for (int i = 0; i < 3; ++i) w.append("second" + std::to_string(i));
    w.sync();
  }
  try {
    WalWriter::open(t.wal(), r1.rec.last_lsn);
    ADD_FAILURE() << "expected kInvalidArgument";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  }
  EXPECT_EQ(segment_names(t.wal()).size(), 2u);
  const auto r2 = replay(t.wal());
  ASSERT_EQ(r2.batches.size(), 8u);
  for (std::size_t i = 1; i < 8; ++i) EXPECT_EQ(r2.batches[i].lsn, r2.batches[i - 1].lsn + 2);
  EXPECT_EQ(r2.batches[7].payload, "second2");
}

TEST(Wal, MissingDirectoryIsAnEmptyWal) {
  TempDir t;
  const auto r = replay(t.path() / "nope", 7);
  EXPECT_EQ(r.batches.size(), 0u);
  EXPECT_EQ(r.rec.last_lsn, 7u);
  EXPECT_FALSE(r.rec.truncated);
  EXPECT_FALSE(fs::exists(t.path() / "nope"));
}

TEST(Wal, WriterArgumentsAndMovedFrom) {
  TempDir t;
  for (auto fn : {+[](const fs::path& d) { WalWriter::open(d, 0); },
                  +[](const fs::path& d) { WalWriter::open(d, 1, 0); },
                  +[](const fs::path& d) { WalWriter::open(d, 1, 1024, 0); },
                  +[](const fs::path& d) { WalWriter::open(d, 1, 1024, kWalMaxFramePayload + 1); }}) {
    try {
      fn(t.wal());
      ADD_FAILURE() << "expected kInvalidArgument";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
      EXPECT_EQ(e.component(), "wal");
    }
  }
  auto a = WalWriter::open(t.wal(), 1);
  a.append("one");
  WalWriter b = std::move(a);
  EXPECT_EQ(b.append("two"), 4u);
  try {
    a.append("x");  // NOLINT(bugprone-use-after-move): moved-from must fail cleanly
    ADD_FAILURE() << "expected kClosed";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kClosed);
  }
  b.sync();
  EXPECT_EQ(replay(t.wal()).batches.size(), 2u);
}

// A failed write (here EFBIG from RLIMIT_FSIZE, standing in for ENOSPC) leaves no partial batch behind.
TEST(Wal, FailedAppendIsTruncatedBack) {
  TempDir t;
  auto w = WalWriter::open(t.wal(), 1);
  const std::string first(100, 'a');
  EXPECT_EQ(w.append(first), 2u);
  const auto size = fs::file_size(t.wal() / kSeg1);

  struct rlimit old_limit {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  if (old_limit.rlim_max != RLIM_INFINITY && old_limit.rlim_max < size + 1000) GTEST_SKIP() << "hard limit too low";
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);  // get EFBIG instead of a signal
  struct rlimit limit = old_limit;
  limit.rlim_cur = size + 1000;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limit), 0);
  bool threw = false;
  try {
    w.append(std::string(5000, 'x'));  // the first 1000 bytes land, then EFBIG
  } catch (const Error& e) {
    threw = true;
    EXPECT_EQ(e.code(), ErrorCode::kIo);
    EXPECT_EQ(e.component(), "wal");
  }
  ::setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_TRUE(threw);
  EXPECT_EQ(fs::file_size(t.wal() / kSeg1), size);
  EXPECT_EQ(w.written_lsn(), 2u);

  EXPECT_EQ(w.append("b"), 4u);  // no LSN was consumed by the failed batch
  w.sync();
  const auto r = replay(t.wal());
  ASSERT_EQ(r.batches.size(), 2u);
  EXPECT_EQ(r.batches[0].payload, first);
  EXPECT_EQ(r.batches[1].payload, "b");
  EXPECT_FALSE(r.rec.truncated);
}

// ---------------------------------------------------------------------------------------------------
// Recovery: torn tails

// The last batch (several data frames + commit) cut at every byte: replay yields exactly the committed
// prefix, the file is cut back to it, and the WAL accepts new batches after it.
TEST(WalRecovery, TornTailAtEveryByteOffset) {
  for (const bool own_segment : {false, true}) {
    SCOPED_TRACE(own_segment ? "last batch starts a segment" : "last batch shares the segment");
    TempDir t(/*fast=*/true);
    const std::size_t seg_bytes = own_segment ? 1 : WalWriter::kDefaultSegmentBytes;
    const std::size_t split = 40;
    std::mt19937_64 rng(5);
    std::vector<std::string> payloads;
    for (int i = 0; i < 5; ++i) payloads.push_back(random_bytes(rng, static_cast<std::size_t>(i) * 13));
    payloads.push_back(random_bytes(rng, 150));  // 4 data frames
    std::uint64_t prev_end = 0;
    {
      auto w = WalWriter::open(t.wal(), 1, seg_bytes, split);
      for (std::size_t i = 0; i < payloads.size(); ++i) {
        if (i + 1 == payloads.size() && !own_segment) prev_end = fs::file_size(t.wal() / kSeg1);
        w.append(payloads[i]);
      }
      w.sync();
    }
    // Keep a pristine copy of every segment; each iteration starts from it.
    std::vector<std::pair<std::string, std::string>> pristine;
    for (const auto& n : segment_names(t.wal())) pristine.emplace_back(n, read_bytes(t.wal() / n));
    const std::string last_name = pristine.back().first;
    const std::string full = pristine.back().second;

    for (std::size_t len = prev_end; len <= full.size(); ++len) {
      SCOPED_TRACE("length " + std::to_string(len));
      fs::remove_all(t.wal());
      fs::create_directory(t.wal());
      for (const auto& [n, bytes] : pristine) write_bytes(t.wal() / n, n == last_name ? full.substr(0, len) : bytes);

      const auto r = replay(t.wal());
      const bool complete = len == full.size();
      const std::size_t want = complete ? payloads.size() : payloads.size() - 1;
      ASSERT_EQ(r.batches.size(), want);
      for (std::size_t i = 0; i < want; ++i) ASSERT_EQ(r.batches[i].payload, payloads[i]);
      const bool torn = !complete && len != prev_end;
      ASSERT_EQ(r.rec.truncated, torn);
      if (torn) {
        EXPECT_EQ(r.rec.truncated_file, "wal/" + last_name);
        EXPECT_EQ(r.rec.truncated_offset, prev_end);
        EXPECT_EQ(r.rec.dropped_bytes, len - prev_end);
        EXPECT_FALSE(r.rec.reason.empty());
      }
      if (complete) {
        EXPECT_EQ(fs::file_size(t.wal() / last_name), full.size());
      } else if (prev_end == 0) {
        EXPECT_FALSE(fs::exists(t.wal() / last_name));  // nothing left in it: removed
      } else {
        EXPECT_EQ(fs::file_size(t.wal() / last_name), prev_end);
      }

      // The repaired WAL takes new batches, and they replay after the prefix.
      {
        auto w = WalWriter::open(t.wal(), r.rec.last_lsn + 1, seg_bytes, split);
        EXPECT_EQ(w.append("after"), r.rec.last_lsn + 2);
        w.sync();
      }
      const auto r2 = replay(t.wal());
      ASSERT_EQ(r2.batches.size(), want + 1);
      EXPECT_EQ(r2.batches.back().payload, "after");
      EXPECT_FALSE(r2.rec.truncated);
    }
  }
}

TEST(WalRecovery, TailReasons) {
  TempDir t;
  fs::create_directory(t.wal());
  std::string good;
  build_batch(good, 1, "alpha");
  const std::uint64_t last = build_batch(good, 3, "beta");
  struct Case {
    std::string name;
    std::string tail;
    std::string reason;
  };
  std::string data_only;
  append_wal_frame(data_only, WalFrameType::kData, last + 1, "uncommitted");
  append_wal_frame(data_only, WalFrameType::kData, last + 2, "more");
  std::string huge_len = data_only.substr(0, kWalHeaderSize);
  for (int i = 4; i < 8; ++i) huge_len[static_cast<std::size_t>(i)] = static_cast<char>(0xFF);
  std::string long_len = data_only.substr(0, kWalHeaderSize) + std::string(100, 'z');
  long_len[4] = 0;
  long_len[5] = 0;
  long_len[6] = static_cast<char>(0xC0);  // 12 MiB: sane, but past the end of the file
  long_len[7] = 0;
  std::string bad_then_data = std::string(30, '\x7f') + data_only;  // valid data frames, but no commit follows
  const std::vector<Case> cases = {
      {"zeros", std::string(4096, '\0'), "bad magic"},
      {"short header", data_only.substr(0, 11), "torn frame header"},
      {"cut frame", data_only.substr(0, 30), "torn frame"},
      {"huge length", huge_len, "bad frame length"},
      {"length past eof", long_len, "torn frame"},
      {"no commit", data_only, "batch without commit"},
      {"bad crc", data_only.substr(0, data_only.size() - 1) + "!", "crc mismatch"},
      {"garbage then uncommitted frames", bad_then_data, "bad magic"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    write_bytes(t.wal() / kSeg1, good + c.tail);
    const auto r = replay(t.wal());
    ASSERT_EQ(r.batches.size(), 2u);
    EXPECT_EQ(r.batches[1].payload, "beta");
    EXPECT_EQ(r.rec.last_lsn, last);
    EXPECT_TRUE(r.rec.truncated);
    EXPECT_EQ(r.rec.reason, c.reason);
    EXPECT_EQ(r.rec.truncated_offset, good.size());
    EXPECT_EQ(r.rec.dropped_bytes, c.tail.size());
    EXPECT_EQ(read_bytes(t.wal() / kSeg1), good);
  }
}

TEST(WalRecovery, EmptySegmentsAndForeignFiles) {
  TempDir t;
  fs::create_directory(t.wal());
  std::string seg1;
  build_batch(seg1, 1, "one");
  std::string seg5;
  build_batch(seg5, 5, "five");
  write_bytes(t.wal() / kSeg1, seg1);
  write_bytes(t.wal() / wal_segment_name(3), "");  // an empty segment in the middle: ignored
  write_bytes(t.wal() / wal_segment_name(3).append(".tmp"), "junk");
  write_bytes(t.wal() / "42.log", "junk");
  write_bytes(t.wal() / wal_segment_name(9), "");  // trailing empty segments: removed
  write_bytes(t.wal() / wal_segment_name(12), "");
  std::string seg3;
  build_batch(seg3, 3, "three");
  write_bytes(t.wal() / wal_segment_name(4), "");
  // 1-2, 3-4 missing from files but segment 5 starts at 5: 3..4 are missing → corruption.
  write_bytes(t.wal() / wal_segment_name(5), seg5);
  EXPECT_NE(replay_corrupt(t.wal()).find("LSN gap"), std::string::npos);
  write_bytes(t.wal() / wal_segment_name(3), seg3);
  const auto r = replay(t.wal());
  ASSERT_EQ(r.batches.size(), 3u);
  EXPECT_EQ(r.batches[2].payload, "five");
  EXPECT_EQ(r.rec.last_lsn, 6u);
  EXPECT_FALSE(r.rec.truncated);
  EXPECT_FALSE(fs::exists(t.wal() / wal_segment_name(9)));
  EXPECT_FALSE(fs::exists(t.wal() / wal_segment_name(12)));
  EXPECT_TRUE(fs::exists(t.wal() / "42.log"));
  EXPECT_TRUE(fs::exists(t.wal() / wal_segment_name(4)));
}

// ---------------------------------------------------------------------------------------------------
// Recovery: corruption that must not be dropped

TEST(WalRecovery, MidFileCorruptionNamesFileAndOffset) {
  TempDir t;
  std::vector<std::uint64_t> lsns;
  {
    auto w = WalWriter::open(t.wal(), 1);
    for (int i = 0; i < 10; ++i) lsns.push_back(w.append(std::string(100, static_cast<char>('a' + i))));
    w.sync();
  }
  std::string bytes = read_bytes(t.wal() / kSeg1);
  const std::size_t batch_size = kWalFrameOverhead + 100 + kWalCommitFrameSize;
  const std::size_t off = 3 * batch_size;  // batch 3's data frame
  bytes[off + kWalHeaderSize + 50] ^= 0x10;
  write_bytes(t.wal() / kSeg1, bytes);
  std::vector<WalBatch> applied;
  const std::string msg = replay_corrupt(t.wal(), 0, &applied);
  EXPECT_EQ(msg, "wal/" + kSeg1 + " at offset " + std::to_string(off) +
                     ": crc mismatch; valid frames follow (a commit frame at offset " +
                     std::to_string(off + kWalFrameOverhead + 100) + "), refusing to drop them");
  EXPECT_EQ(applied.size(), 3u);
  EXPECT_EQ(read_bytes(t.wal() / kSeg1), bytes);  // nothing was changed on disk
}

TEST(WalRecovery, DamageInAnEarlierSegmentIsCorruption) {
  TempDir t;
  {
    auto w = WalWriter::open(t.wal(), 1, 100);
    for (int i = 0; i < 6; ++i) w.append(std::string(80, 'q'));
    w.sync();
  }
  const auto names = segment_names(t.wal());
  ASSERT_GE(names.size(), 3u);
  // A torn end of segment 2 would be a torn tail if it were the last; with segment 3 after it, it is not.
  const auto p = t.wal() / names[1];
  const std::string bytes = read_bytes(p);
  write_bytes(p, bytes.substr(0, bytes.size() - 3));
  const std::string msg = replay_corrupt(t.wal());
  EXPECT_NE(msg.find("wal/" + names[1] + " at offset "), std::string::npos) << msg;
  EXPECT_NE(msg.find("later segments follow"), std::string::npos) << msg;
  // An unfinished batch at the end of a non-last segment: same.
  std::string data_only;
  append_wal_frame(data_only, WalFrameType::kData, *parse_wal_segment_name(names[1]), "x");
  write_bytes(p, data_only);
  EXPECT_NE(replay_corrupt(t.wal()).find("batch without commit; later segments follow"), std::string::npos);
}

TEST(WalRecovery, LsnRules) {
  TempDir t;
  fs::create_directory(t.wal());
  const auto seg = t.wal() / kSeg1;
  std::string s;
  build_batch(s, 1, "a");
  const std::size_t second = s.size();
  std::string gap = s;
  build_batch(gap, 4, "b");  // 3 missing
  write_bytes(seg, gap);
  EXPECT_EQ(replay_corrupt(t.wal()), "wal/" + kSeg1 + " at offset " + std::to_string(second) + ": LSN gap: 4 follows 2");
  std::string repeat = s;
  build_batch(repeat, 2, "b");
  write_bytes(seg, repeat);
  EXPECT_NE(replay_corrupt(t.wal()).find("does not increase"), std::string::npos);
  // A gap is an error even at the tail: a CRC-valid frame is never a torn write.
  std::string tail_gap = s;
  append_wal_frame(tail_gap, WalFrameType::kData, 9, "x");
  write_bytes(seg, tail_gap);
  EXPECT_NE(replay_corrupt(t.wal()).find("LSN gap"), std::string::npos);

  // Segment name and first frame disagree.
  fs::remove(seg);
  write_bytes(t.wal() / wal_segment_name(2), s);
  EXPECT_NE(replay_corrupt(t.wal(), 1).find("segment name says 2"), std::string::npos);
  fs::remove(t.wal() / wal_segment_name(2));

  // The WAL must reach back to after_lsn + 1.
  std::string s5;
  build_batch(s5, 5, "five");
  write_bytes(t.wal() / wal_segment_name(5), s5);
  EXPECT_NE(replay_corrupt(t.wal(), 0).find("missing"), std::string::npos);
  EXPECT_EQ(replay(t.wal(), 4).batches.size(), 1u);
  EXPECT_EQ(replay(t.wal(), 10).rec.last_lsn, 10u);

  // A gap between segments that the checkpoint covers (an unsynced tail lost after a checkpoint).
  write_bytes(seg, s);  // LSNs 1-2, then segment 5
  EXPECT_NE(replay_corrupt(t.wal(), 0).find("LSN gap: 5 follows 2"), std::string::npos);
  EXPECT_NE(replay_corrupt(t.wal(), 3).find("LSN gap"), std::string::npos);
  const auto r = replay(t.wal(), 4);
  ASSERT_EQ(r.batches.size(), 1u);
  EXPECT_EQ(r.batches[0].payload, "five");
}

TEST(WalRecovery, CommitFrameRules) {
  TempDir t;
  fs::create_directory(t.wal());
  const auto seg = t.wal() / kSeg1;
  std::string ok;
  build_batch(ok, 1, "ok");
  const std::string off = " at offset " + std::to_string(ok.size() + kWalFrameOverhead + 3) + ": ";
  auto with_commit = [&](const WalCommit& c) {
    std::string s = ok;
    append_wal_frame(s, WalFrameType::kData, 3, "abc");
    append_wal_frame(s, WalFrameType::kCommit, 4, encode_wal_commit(c));
    return s;
  };
  const std::uint32_t crc = crc32c("abc", 3);
  write_bytes(seg, with_commit({2, crc, 3}));
  EXPECT_NE(replay_corrupt(t.wal()).find(off + "commit frame counts 2 data frames, the batch has 1"), std::string::npos);
  write_bytes(seg, with_commit({1, crc ^ 1, 3}));
  EXPECT_NE(replay_corrupt(t.wal()).find(off + "batch payload does not match"), std::string::npos);
  write_bytes(seg, with_commit({1, crc, 4}));
  EXPECT_NE(replay_corrupt(t.wal()).find(off + "batch payload does not match"), std::string::npos);
  write_bytes(seg, with_commit({1, crc, 3}));
  EXPECT_EQ(replay(t.wal()).batches.size(), 2u);

  std::string lone = ok;
  append_wal_frame(lone, WalFrameType::kCommit, 3, encode_wal_commit({0, 0, 0}));
  write_bytes(seg, lone);
  EXPECT_NE(replay_corrupt(t.wal()).find("commit frame without data frames"), std::string::npos);
  std::string short_commit = ok;
  append_wal_frame(short_commit, WalFrameType::kData, 3, "abc");
  append_wal_frame(short_commit, WalFrameType::kCommit, 4, encode_wal_commit({1, crc, 3}).substr(1));
  write_bytes(seg, short_commit);
  EXPECT_NE(replay_corrupt(t.wal()).find("commit frame payload is 15 bytes"), std::string::npos);
  write_bytes(seg, ok + raw_frame(7, 0, 3, "x"));
  EXPECT_NE(replay_corrupt(t.wal()).find("unknown frame type 7"), std::string::npos);
  write_bytes(seg, ok + raw_frame(1, 9, 3, "x"));
  EXPECT_NE(replay_corrupt(t.wal()).find("reserved field is 9"), std::string::npos);
}

TEST(WalRecovery, PaddingFramesAreSkippedButKeepTheirLsn) {
  TempDir t;
  fs::create_directory(t.wal());
  std::string s;
  build_batch(s, 1, "a");
  append_wal_frame(s, WalFrameType::kPadding, 3, std::string(10, '\0'));
  append_wal_frame(s, WalFrameType::kData, 4, "b1");
  append_wal_frame(s, WalFrameType::kPadding, 5, "");  // inside a batch: ignored as well
  append_wal_frame(s, WalFrameType::kData, 6, "b2");
  append_wal_frame(s, WalFrameType::kCommit, 7, encode_wal_commit({2, crc32c("b1b2", 4), 4}));
  append_wal_frame(s, WalFrameType::kPadding, 8, "");
  write_bytes(t.wal() / kSeg1, s);
  const auto r = replay(t.wal());
  ASSERT_EQ(r.batches.size(), 2u);
  EXPECT_EQ(r.batches[1].payload, "b1b2");
  EXPECT_EQ(r.batches[1].lsn, 7u);
  EXPECT_EQ(r.rec.last_lsn, 8u);  // the writer must not reuse the padding's LSN
  EXPECT_FALSE(r.rec.truncated);
}

// Every single-bit flip of a small WAL: either the exact committed prefix with a repaired tail (the flip
// hit the final frame) or kCorruption at the damaged frame — never a wrong batch, never a crash.
TEST(WalRecovery, EverySingleBitFlip) {
  TempDir t(/*fast=*/true);
  const std::vector<std::string> payloads = {"", "hello", std::string(30, 'x'), "twelve bytes"};
  {
    auto w = WalWriter::open(t.wal(), 1, WalWriter::kDefaultSegmentBytes, 16);
    for (const auto& p : payloads) w.append(p);
    w.sync();
  }
  const auto seg = t.wal() / kSeg1;
  const std::string pristine = read_bytes(seg);
  const auto frames = parse_frames(pristine);
  // Batch index of every frame.
  std::vector<std::size_t> batch_of;
  for (std::size_t f = 0, b = 0; f < frames.size(); ++f) {
    batch_of.push_back(b);
    if (frames[f].type == static_cast<std::uint16_t>(WalFrameType::kCommit)) ++b;
  }
  std::size_t last_batch_start = 0;
  for (std::size_t f = 0; f < frames.size(); ++f) {
    if (batch_of[f] == payloads.size() - 1) {
      last_batch_start = frames[f].start;
      break;
    }
  }
  ASSERT_GE(pristine.size() * 8, 2000u);
  std::size_t truncations = 0;
  std::size_t corruptions = 0;
  for (std::size_t bit = 0; bit < pristine.size() * 8; ++bit) {
    std::string bytes = pristine;
    bytes[bit / 8] = static_cast<char>(bytes[bit / 8] ^ (1 << (bit % 8)));
    write_bytes(seg, bytes);
    std::size_t f = 0;
    while (frames[f].start + frames[f].length <= bit / 8) ++f;
    std::vector<WalBatch> applied;
    bool threw = false;
    std::string msg;
    WalRecovery rec;
    try {
      rec = replay_wal(t.wal(), 0, [&](const WalBatch& b) { applied.push_back(b); });
    } catch (const Error& e) {
      threw = true;
      msg = e.what();
      ASSERT_EQ(e.code(), ErrorCode::kCorruption) << "bit " << bit << ": " << msg;
    }
    // Whatever happened, what was applied is an exact prefix.
    ASSERT_LE(applied.size(), payloads.size());
    for (std::size_t i = 0; i < applied.size(); ++i) ASSERT_EQ(applied[i].payload, payloads[i]) << "bit " << bit;
    if (f + 1 == frames.size()) {
      ASSERT_FALSE(threw) << "bit " << bit << ": " << msg;
      ASSERT_EQ(applied.size(), payloads.size() - 1) << "bit " << bit;
      ASSERT_TRUE(rec.truncated);
      ASSERT_EQ(rec.truncated_offset, last_batch_start);
      ASSERT_EQ(fs::file_size(seg), last_batch_start);
      ++truncations;
    } else {
      ASSERT_TRUE(threw) << "bit " << bit;
      ASSERT_NE(msg.find("wal/" + kSeg1 + " at offset " + std::to_string(frames[f].start) + ": "), std::string::npos)
          << "bit " << bit << ": " << msg;
      ASSERT_EQ(applied.size(), batch_of[f]) << "bit " << bit;
      ++corruptions;
    }
  }
  EXPECT_EQ(truncations, kWalCommitFrameSize * 8);
  EXPECT_GT(corruptions, 0u);
}

// A seeded sample of single-bit flips over a multi-segment WAL: flips in earlier segments are always
// corruption, even in their final frame.
TEST(WalRecovery, SampledBitFlipsAcrossSegments) {
  TempDir t(/*fast=*/true);
  std::mt19937_64 rng(6);
  std::vector<std::string> payloads;
  {
    auto w = WalWriter::open(t.wal(), 1, 600, 48);
    for (int i = 0; i < 24; ++i) {
      payloads.push_back(random_bytes(rng, rng() % 120));
      w.append(payloads.back());
    }
    w.sync();
  }
  const auto names = segment_names(t.wal());
  ASSERT_GE(names.size(), 3u);
  std::vector<std::string> pristine;
  std::size_t total_bits = 0;
  for (const auto& n : names) {
    pristine.push_back(read_bytes(t.wal() / n));
    total_bits += pristine.back().size() * 8;
  }
  const auto last_frames = parse_frames(pristine.back());
  const std::size_t last_frame_start = last_frames.back().start;
  for (int iter = 0; iter < 2000; ++iter) {
    std::size_t bit = rng() % total_bits;
    std::size_t s = 0;
    while (bit >= pristine[s].size() * 8) bit -= pristine[s++].size() * 8;
    for (std::size_t i = 0; i < names.size(); ++i) {
      std::string bytes = pristine[i];
      if (i == s) bytes[bit / 8] = static_cast<char>(bytes[bit / 8] ^ (1 << (bit % 8)));
      write_bytes(t.wal() / names[i], bytes);
    }
    std::vector<WalBatch> applied;
    bool threw = false;
    try {
      replay_wal(t.wal(), 0, [&](const WalBatch& b) { applied.push_back(b); });
    } catch (const Error& e) {
      threw = true;
      ASSERT_EQ(e.code(), ErrorCode::kCorruption);
      ASSERT_NE(std::string(e.what()).find("wal/" + names[s] + " at offset "), std::string::npos) << e.what();
    }
    for (std::size_t i = 0; i < applied.size(); ++i) ASSERT_EQ(applied[i].payload, payloads[i]);
    const bool in_final_frame = s + 1 == names.size() && bit / 8 >= last_frame_start;
    ASSERT_EQ(threw, !in_final_frame) << "segment " << s << " bit " << bit;
    if (!threw) {
      ASSERT_EQ(applied.size(), payloads.size() - 1);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// File helpers

TEST(WalFileUtil, AtomicWriteAndList) {
  TempDir t;
  const auto p = t.path() / "manifest";
  atomic_write_file(p, "v1");
  EXPECT_EQ(read_bytes(p), "v1");
  atomic_write_file(p, std::string(100000, 'z'));
  EXPECT_EQ(read_bytes(p).size(), 100000u);
  atomic_write_file(p, "");
  EXPECT_EQ(read_bytes(p), "");
  write_bytes(t.path() / "b", "");
  fs::create_directory(t.path() / "adir");
  EXPECT_EQ(list_files(t.path()), (std::vector<std::string>{"b", "manifest"}));  // no temp left, no dirs
  EXPECT_TRUE(list_files(t.path() / "missing").empty());
  try {
    open_file(t.path() / "missing" / "x", O_RDONLY, 0, "checkpoint");
    ADD_FAILURE() << "expected kIo";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
    EXPECT_EQ(e.component(), "checkpoint");
    EXPECT_NE(std::string(e.what()).find("missing/x"), std::string::npos);
  }
  EXPECT_THROW(atomic_write_file(t.path() / "missing" / "x", "v"), Error);
  remove_file(t.path() / "b");
  remove_file(t.path() / "b");  // already gone: fine
  EXPECT_EQ(list_files(t.path()), std::vector<std::string>{"manifest"});
}

TEST(WalFileUtil, ReadWriteHelpers) {
  TempDir t;
  const auto p = t.path() / "f";
  {
    UniqueFd fd = open_file(p, O_RDWR | O_CREAT | O_TRUNC);
    ASSERT_TRUE(fd);
    write_all(fd.get(), "hello", 5, p);
    pwrite_all(fd.get(), "J", 1, 0, p);
    fsync_file(fd.get(), p);
    EXPECT_EQ(fd_size(fd.get(), p), 5u);
    char buf[16] = {};
    EXPECT_EQ(pread_full(fd.get(), buf, sizeof buf, 1, p), 4u);  // short only at EOF
    EXPECT_EQ(std::string(buf, 4), "ello");
    truncate_fd(fd.get(), 2, p);
    fdatasync_file(fd.get(), p);
    UniqueFd moved = std::move(fd);
    EXPECT_FALSE(fd);
    EXPECT_TRUE(moved);
  }
  fsync_dir(t.path());
  EXPECT_EQ(read_bytes(p), "Je");
}

}  // namespace
}  // namespace vesper
