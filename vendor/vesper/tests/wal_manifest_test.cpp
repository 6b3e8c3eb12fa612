// A collection's MANIFEST records its WAL segments: a segment that goes missing (deleted, emptied, its
// first frame cut) is reported as corruption naming the file, never read as a shorter log.
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "vesper/collection.h"
#include "vesper/error.h"
#include "vesper/wal_format.h"

namespace vesper {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "vesper_manifest_test_XXXXXX").string();
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

 private:
  fs::path path_;
};

CollectionOptions options() {
  CollectionOptions o;
  o.dim = 4;
  return o;
}

DurabilityOptions durability(std::size_t segment_bytes) {
  DurabilityOptions d;
  d.mode = DurabilityMode::kFlush;
  d.wal_segment_bytes = segment_bytes;
  return d;
}

// Writes `batches` batches of 5 documents, flushes, and copies the directory while the collection is
// open: the copy is what a crash leaves (checkpoint, if any, plus the WAL after it).
void crash_image(const fs::path& live, const fs::path& image, int batches, std::size_t segment_bytes, bool checkpoint_first = false) {
  auto c = Collection::open(live, options(), durability(segment_bytes));
  std::uint64_t id = 0;
  for (int b = 0; b < batches; ++b) {
    if (checkpoint_first && b == batches / 2) c->checkpoint();
    std::vector<DocumentInput> docs;
    for (int i = 0; i < 5; ++i, ++id) {
      DocumentInput d;
      d.id = id;
      d.owned_vector = {1.0f + static_cast<float>(id), 2, 3, 4};
      d.text = "document number " + std::to_string(id);
      docs.push_back(std::move(d));
    }
    c->upsert(std::move(docs));
  }
  c->flush();
  fs::copy(live, image, fs::copy_options::recursive);
}

std::vector<fs::path> segments(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir / "wal")) {
    if (parse_wal_segment_name(e.path().filename().string())) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Opening `dir` fails with kCorruption, and the message names `file` and says what is wrong.
void expect_corrupt(const fs::path& dir, const fs::path& file, const std::string& what) {
  try {
    Collection::open(dir, options(), durability(1024));
    ADD_FAILURE() << "opened despite a damaged WAL (" << file << ")";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kCorruption) << e.what();
    EXPECT_NE(std::string(e.what()).find("wal/" + file.filename().string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

std::size_t count_after_open(const fs::path& dir) { return Collection::open(dir, options(), durability(1024))->count(); }

}  // namespace

TEST(WalManifest, EveryDeletedSegmentIsReportedByName) {
  TempDir t;
  crash_image(t.path() / "live", t.path() / "image", 12, 1024);
  const std::vector<fs::path> segs = segments(t.path() / "image");
  ASSERT_GE(segs.size(), 3u);
  // Each segment in turn (oldest, middle ones, newest): deleting it is corruption naming it.
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const fs::path copy = t.path() / ("deleted-" + std::to_string(i));
    fs::copy(t.path() / "image", copy, fs::copy_options::recursive);
    fs::remove(copy / "wal" / segs[i].filename());
    SCOPED_TRACE("segment " + std::to_string(i) + " of " + std::to_string(segs.size()));
    expect_corrupt(copy, segs[i], "is missing");
  }
  // The untouched image opens with every document.
  EXPECT_EQ(count_after_open(t.path() / "image"), 60u);
}

TEST(WalManifest, TruncatedSegmentsAreReported) {
  TempDir t;
  crash_image(t.path() / "live", t.path() / "image", 12, 1024);
  const std::vector<fs::path> segs = segments(t.path() / "image");
  ASSERT_GE(segs.size(), 3u);
  const fs::path newest = segs.back();
  // Emptied, or cut inside its first frame: the MANIFEST says that frame was durable.
  for (std::uintmax_t size : {std::uintmax_t{0}, std::uintmax_t{1}, std::uintmax_t{kWalHeaderSize}, std::uintmax_t{kWalFrameOverhead - 1}}) {
    const fs::path copy = t.path() / ("cut-" + std::to_string(size));
    fs::copy(t.path() / "image", copy, fs::copy_options::recursive);
    fs::resize_file(copy / "wal" / newest.filename(), size);
    SCOPED_TRACE("cut to " + std::to_string(size));
    expect_corrupt(copy, newest, size == 0 ? "is empty" : "refusing to drop it");
  }
  // A middle segment emptied.
  const fs::path copy = t.path() / "middle-empty";
  fs::copy(t.path() / "image", copy, fs::copy_options::recursive);
  fs::resize_file(copy / "wal" / segs[1].filename(), 0);
  expect_corrupt(copy, segs[1], "is empty");
}

TEST(WalManifest, TheOnlySegmentDeletedIsReported) {
  TempDir t;
  crash_image(t.path() / "live", t.path() / "image", 3, 1 << 20);
  const std::vector<fs::path> segs = segments(t.path() / "image");
  ASSERT_EQ(segs.size(), 1u);
  fs::remove(segs[0]);
  expect_corrupt(t.path() / "image", segs[0], "is missing");
  // So is the whole WAL directory.
  TempDir u;
  crash_image(u.path() / "live", u.path() / "image", 3, 1 << 20);
  fs::remove_all(u.path() / "image" / "wal");
  expect_corrupt(u.path() / "image", segments(u.path() / "live")[0], "is missing");
}

TEST(WalManifest, LegitimateStatesStillOpen) {
  TempDir t;
  // After a checkpoint mid-way, the crash image replays the tail.
  crash_image(t.path() / "live", t.path() / "image", 12, 1024, /*checkpoint_first=*/true);
  const fs::path torn = t.path() / "torn";
  fs::copy(t.path() / "image", torn, fs::copy_options::recursive);
  EXPECT_EQ(count_after_open(t.path() / "image"), 60u);
  // Clean close right after a checkpoint: no WAL batch after it; reopen twice, write, reopen.
  const fs::path clean = t.path() / "clean";
  {
    auto c = Collection::open(clean, options(), durability(1024));
    DocumentInput d;
    d.id = 1;
    d.owned_vector = {1, 2, 3, 4};
    c->upsert({std::move(d)});
    c->checkpoint();
    c->close();
  }
  EXPECT_EQ(count_after_open(clean), 1u);
  EXPECT_EQ(count_after_open(clean), 1u);
  // A fresh collection closed without any write.
  const fs::path empty = t.path() / "empty";
  Collection::open(empty, options(), durability(1024))->close();
  EXPECT_EQ(count_after_open(empty), 0u);
  // A torn tail beyond the first frame is still a crash, repaired and reported, not corruption.
  ASSERT_FALSE(segments(torn).empty());
  const fs::path newest = segments(torn).back();
  fs::resize_file(newest, fs::file_size(newest) - 3);
  auto c = Collection::open(torn, options(), durability(1024));
  EXPECT_TRUE(c->stats().recovery.truncated);
  EXPECT_EQ(c->count(), 55u);
}

TEST(WalManifest, ManifestWithoutSegmentListIsUpgradedOnOpen) {
  TempDir t;
  crash_image(t.path() / "live", t.path() / "image", 6, 1024);
  // A MANIFEST from before the list existed: drop "walSegments".
  const fs::path manifest = t.path() / "image" / "MANIFEST";
  std::string text;
  {
    std::ifstream in(manifest);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  const auto at = text.find(",\"walSegments\"");
  ASSERT_NE(at, std::string::npos) << text;
  text.erase(at, text.find(']', at) + 1 - at);
  {
    std::ofstream out(manifest, std::ios::trunc);
    out << text;
  }
  EXPECT_EQ(count_after_open(t.path() / "image"), 30u);
  std::ifstream in(manifest);
  const std::string upgraded((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(upgraded.find("\"walSegments\""), std::string::npos) << upgraded;
}

}  // namespace vesper
