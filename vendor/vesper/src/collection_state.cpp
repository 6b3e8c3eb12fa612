// A collection's whole state as one checkpoint image, and rebuilding state in place (load, restore,
// compaction). Image: "VSPC" u32 magic, u32 version, u64 LSN, slots, HNSW graph, then (version 2)
// the text index: the analyzer signature it was built with and the BM25 postings; CRC32C trailer.
// Version 1 images (no text index) still load: the text index is rebuilt from the stored texts.
#include <exception>
#include <mutex>
#include <thread>
#include <chrono>
#include <cstdio>

#include "vesper/batch_codec.h"
#include "vesper/byte_io.h"
#include "vesper/collection.h"
#include "vesper/crc32c.h"
#include "vesper/error.h"

namespace vesper {
namespace {

constexpr std::uint32_t kMagic = 0x43505356;  // "VSPC"
constexpr std::uint32_t kVersion = 2;
constexpr std::uint32_t kVersionWithoutTextIndex = 1;
enum : std::uint8_t { kLive = 1, kHasId = 2, kHasKey = 4, kHasText = 8, kHasPayload = 16, kHasVector = 32 };

}  // namespace

std::string Collection::encode_state(std::uint64_t lsn) const {
  std::string out;
  out.reserve(vectors_.memory_bytes() + records_.size() * 64);
  ByteWriter w(out);
  w.u32(kMagic);
  w.u32(kVersion);
  w.u64(lsn);
  w.u64(records_.size());
  for (DocId i = 0; i < records_.size(); ++i) {
    const Record& r = records_[i];
    const bool live = live_.test(i);
    // Dead slots keep only their vector: the HNSW graph still routes through them.
    const std::uint8_t flags = static_cast<std::uint8_t>(
        (live ? kLive : 0) | (live && r.id ? kHasId : 0) | (live && r.key ? kHasKey : 0) | (live && r.text ? kHasText : 0) |
        (live && r.payload ? kHasPayload : 0) | (vectors_.has(i) ? kHasVector : 0));
    w.u8(flags);
    if (flags & kHasId) w.u64(*r.id);
    if (flags & kHasKey) w.bytes(*r.key);
    if (flags & kHasText) w.bytes(*r.text);
    if (flags & kHasPayload) w.bytes(*r.payload);
    if (live) {
      const Metadata* md = metadata_.get(i);
      encode_metadata(out, md ? *md : Metadata{});
    }
    if (flags & kHasVector) w.floats(vectors_.get(i), options_.dim);
  }
  std::string section;
  hnsw_.serialize(section);
  w.bytes(section);
  w.bytes(text_index_signature());
  section.clear();
  bm25_.serialize(section);
  w.bytes(section);
  w.u32(crc32c(out.data(), out.size()));
  return out;
}

void Collection::reset_state() {
  records_.clear();
  by_id_.clear();
  by_key_.clear();
  live_ = Bitset();
  with_vector_ = Bitset();
  live_count_ = live_vectors_ = live_texts_ = 0;
  vectors_ = VectorStore(options_.dim, options_.metric);
  hnsw_ = HnswIndex(vectors_, options_.hnsw);
  unindexed_.clear();
  unindexed_head_ = 0;
  bm25_ = Bm25Index(options_.bm25);
  metadata_.clear();
}

std::uint64_t Collection::decode_state(std::string_view image, const std::string& what, std::string* text_reindexed) {
  if (image.size() < 28) throw Error(ErrorCode::kCorruption, "storage", what + ": too short to be a checkpoint");
  const std::string_view body = image.substr(0, image.size() - 4);
  ByteReader trailer(image.substr(image.size() - 4), what);
  if (trailer.u32() != crc32c(body.data(), body.size())) {
    throw Error(ErrorCode::kCorruption, "storage", what + ": checksum mismatch");
  }
  ByteReader in(body, what);
  if (in.u32() != kMagic) in.fail("not a Vesper checkpoint");
  const std::uint32_t version = in.u32();
  if (version != kVersion && version != kVersionWithoutTextIndex) {
    in.fail("unsupported checkpoint version " + std::to_string(version) + " (this build reads 1 and 2)");
  }
  const std::uint64_t lsn = in.u64();
  const std::uint64_t slots = in.u64();
  if (slots > body.size()) in.fail("implausible slot count");

  reset_state();
  records_.resize(slots);
  live_.resize(slots);
  with_vector_.resize(slots);
  vectors_.reserve(slots);
  std::vector<float> vector(options_.dim);
  std::vector<std::pair<DocId, Metadata>> metadata;
  for (DocId i = 0; i < slots; ++i) {
    Record& r = records_[i];
    const std::uint8_t flags = in.u8();
    if (flags & kHasId) r.id = in.u64();
    if (flags & kHasKey) r.key = std::string(in.bytes());
    if (flags & kHasText) r.text = std::string(in.bytes());
    if (flags & kHasPayload) r.payload = std::string(in.bytes());
    const bool live = (flags & kLive) != 0;
    if (live) {
      Metadata md = decode_metadata(in);
      live_.set(i);
      ++live_count_;
      if (r.id) by_id_[*r.id] = i;
      if (r.key) by_key_[*r.key] = i;
      if (!md.empty()) metadata.emplace_back(i, std::move(md));
      if (r.text) ++live_texts_;
    }
    if (flags & kHasVector) {
      in.floats(vector.data(), options_.dim);
      vectors_.put_stored(i, vector.data());  // exactly as stored: no second normalisation
      if (live) {
        with_vector_.set(i);
        ++live_vectors_;
      }
    }
  }
  for (auto& [id, md] : metadata) metadata_.set(id, std::move(md));
  const std::string_view graph = in.bytes();
  std::string_view signature;
  std::string_view text_index;
  if (version == kVersion) {
    signature = in.bytes();
    text_index = in.bytes();
  }
  if (!in.done()) in.fail("trailing bytes");
  std::string reason;
  if (version == kVersionWithoutTextIndex) {
    reason = "the checkpoint predates persisted text indexes";
  } else if (signature != text_index_signature()) {
    reason = "the text index was built with " + std::string(signature) + ", the collection now uses " + text_index_signature();
  }
  if (text_reindexed != nullptr) *text_reindexed = reason;
  // Rebuilding from the texts (tokenising is the slow part) runs on a second thread while this one
  // loads the graph; they touch disjoint members.
  std::exception_ptr text_failure;
  {
    std::jthread text_indexer([&] {  // joined at the end of this scope, also when loading fails
      try {
        if (reason.empty()) {
          bm25_ = Bm25Index::deserialize(text_index, options_.bm25, what + " (text index)");
          for (DocId i = 0; i < bm25_.id_bound(); ++i) {
            if (bm25_.contains(i) && (i >= records_.size() || !live_.test(i) || !records_[i].text)) {
              throw Error(ErrorCode::kCorruption, "storage", what + ": the text index holds document " + std::to_string(i) + ", which has no live text");
            }
          }
        } else {
          rebuild_text_index();
        }
      } catch (...) {
        text_failure = std::current_exception();
      }
    });
    hnsw_ = HnswIndex::deserialize(vectors_, graph);
    // A checkpoint taken while vectors were queued for the graph holds them without graph nodes.
    vectors_.ids().for_each([&](DocId id) {
      if (!hnsw_.contains(id)) unindexed_.push_back(id);
    });
  }
  if (text_failure) std::rethrow_exception(text_failure);
  return lsn;
}

void Collection::compact_locked() {
  std::unique_lock lock(mutex_);
  // Re-insert the live documents in their current order: deterministic, and ids become dense again.
  std::vector<WriteOp> live_docs;
  live_docs.reserve(live_count_);
  live_.for_each([&](DocId i) {
    const Record& r = records_[i];
    WriteOp op;
    op.doc.id = r.id;
    op.doc.key = r.key;
    op.doc.text = r.text;
    op.doc.payload = r.payload;
    if (with_vector_.test(i)) op.doc.owned_vector.assign(vectors_.get(i), vectors_.get(i) + options_.dim);
    if (const Metadata* md = metadata_.get(i)) op.doc.metadata = *md;
    live_docs.push_back(std::move(op));
  });
  reset_state();
  WriteResult ignored;
  apply(live_docs, ignored);
}

}  // namespace vesper
