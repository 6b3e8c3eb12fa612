// The durable side of a collection: directory lock, manifest, WAL with group commit, checkpoints,
// snapshots, restore, compaction and recovery on open.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fcntl.h>

#include <fstream>
#include <thread>

#include "vesper/batch_codec.h"
#include "collection_storage.h"
#include "vesper/collection.h"
#include "vesper/dir_lock.h"
#include "vesper/error.h"
#include "vesper/file_util.h"
#include "vesper/manifest.h"
#include "vesper/wal_reader.h"
#include "vesper/wal_writer.h"

namespace vesper {


namespace {

std::string checkpoint_name(std::uint64_t lsn) {
  char name[48];
  std::snprintf(name, sizeof(name), "checkpoint-%020llu.vsp", static_cast<unsigned long long>(lsn));
  return name;
}

std::string read_file(const std::filesystem::path& path) {
  // One sized read: checkpoints are large and stream-based reading costs seconds at 100 MB.
  UniqueFd fd = open_file(path, O_RDONLY | O_CLOEXEC, 0644, "collection");
  std::string bytes(fd_size(fd.get(), path, "collection"), '\0');
  if (pread_full(fd.get(), bytes.data(), bytes.size(), 0, path, "collection") != bytes.size()) {
    throw Error(ErrorCode::kIo, "collection", "short read of " + path.string());
  }
  return bytes;
}

std::string describe_analyzers(const CollectionOptions& o) {
  std::string s = std::string("analyzer \"") + analyzer_name(o.analyzer) + "\"";
  if (!o.analyzer_field.empty()) {
    s += " (by metadata field \"" + o.analyzer_field + "\":";
    for (const auto& [value, kind] : o.analyzer_values) s += " " + value + "=" + analyzer_name(kind);
    s += ")";
  }
  return s;
}

void validate_label(const std::string& label) {
  const bool ok = !label.empty() && label.size() <= 64 && label != "." && label != ".." &&
                  std::all_of(label.begin(), label.end(), [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
                  });
  if (!ok) throw_invalid("collection", "snapshot label '" + label + "' must be 1-64 characters of A-Z a-z 0-9 . _ -");
}

}  // namespace

DurabilityMode parse_durability(std::string_view name) {
  if (name == "none") return DurabilityMode::kNone;
  if (name == "flush") return DurabilityMode::kFlush;
  if (name == "commit") return DurabilityMode::kCommit;
  throw_invalid("collection", "unknown durability mode '" + std::string(name) + "' (expected none, flush or commit)");
}

const char* durability_name(DurabilityMode mode) noexcept {
  switch (mode) {
    case DurabilityMode::kNone: return "none";
    case DurabilityMode::kFlush: return "flush";
    case DurabilityMode::kCommit: return "commit";
  }
  return "commit";
}

std::shared_ptr<Collection> Collection::open(const std::filesystem::path& dir, CollectionOptions options,
                                             DurabilityOptions durability) {
  const auto started = std::chrono::steady_clock::now();
  validate_options(options);
  if (!(durability.compact_ratio > 0 && durability.compact_ratio <= 1)) {
    throw_invalid("collection", "compactRatio must be within (0, 1]");
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error(ErrorCode::kIo, "collection", "cannot create directory '" + dir.string() + "': " + ec.message());
  auto lock = std::make_unique<DirLock>(dir);

  std::optional<Manifest> manifest = read_manifest(dir);
  bool new_analyzers = false;
  if (manifest) {
    const CollectionOptions& stored = manifest->options;
    if (stored.dim != options.dim || stored.metric != options.metric) {
      throw_invalid("collection", "collection at '" + dir.string() + "' has dim " + std::to_string(stored.dim) + " and metric " +
                                      metric_name(stored.metric) + ", opened with dim " + std::to_string(options.dim) +
                                      " and metric " + metric_name(options.metric));
    }
    // Index-shaping settings are fixed at creation; query-time settings come from this open. The
    // analyzer settings may change, but only on request: the text index is then rebuilt.
    options.hnsw = stored.hnsw;
    options.bm25 = stored.bm25;
    const bool same_analyzers = stored.analyzer == options.analyzer && stored.analyzer_field == options.analyzer_field &&
                                stored.analyzer_values == options.analyzer_values;
    if (!options.analyzer_explicit || (!same_analyzers && !options.reindex_text)) {
      if (options.analyzer_explicit) {
        throw_invalid("collection", "collection at '" + dir.string() + "' analyses text with " + describe_analyzers(stored) +
                                        ", opened with " + describe_analyzers(options) +
                                        "; open it with the same analyzer settings, or pass bm25.reindex to re-analyse every stored text with the new ones");
      }
      options.analyzer = stored.analyzer;
      options.analyzer_field = stored.analyzer_field;
      options.analyzer_values = stored.analyzer_values;
    } else if (!same_analyzers) {
      new_analyzers = true;
      manifest->options.analyzer = options.analyzer;
      manifest->options.analyzer_field = options.analyzer_field;
      manifest->options.analyzer_values = options.analyzer_values;
    }
  } else {
    manifest = Manifest{options, 0, "", std::vector<std::uint64_t>{}};
    write_manifest(dir, *manifest);
  }

  auto collection = std::make_shared<Collection>(options);
  RecoveryReport report;
  report.checkpoint_lsn = manifest->checkpoint_lsn;
  if (!manifest->checkpoint_file.empty()) {
    const MappedFile image(dir / manifest->checkpoint_file, "collection");
    collection->decode_state(image.bytes(), manifest->checkpoint_file, &report.text_reindexed);
  }
  // Replayed vectors are queued for the graph instead of inserted: the background indexer catches up
  // after open, and searches scan the queue exactly until then.
  collection->defer_indexing_ = true;
  const WalRecovery wal = replay_wal(dir / "wal", manifest->checkpoint_lsn, [&](const WalBatch& batch) {
    const std::string what = "wal batch " + std::to_string(batch.lsn);
    std::vector<WriteOp> ops = decode_batch(batch.payload, what);
    try {
      collection->validate_batch(ops);
    } catch (const Error& e) {
      throw Error(ErrorCode::kCorruption, "wal", what + " does not replay: " + e.what());
    }
    WriteResult ignored;
    collection->apply(ops, ignored);
  }, manifest->wal_segments ? &*manifest->wal_segments : nullptr);
  report.replayed_batches = wal.batches;
  report.last_lsn = std::max(wal.last_lsn, manifest->checkpoint_lsn);
  report.truncated = wal.truncated;
  report.truncated_file = wal.truncated_file;
  report.truncated_offset = wal.truncated_offset;
  report.dropped_bytes = wal.dropped_bytes;
  report.reason = wal.reason;

  auto storage = std::make_unique<Storage>();
  storage->dir = dir;
  storage->durability = durability;
  storage->lock = std::move(lock);
  storage->wal = std::make_unique<WalWriter>(WalWriter::open(dir / "wal", report.last_lsn + 1, durability.wal_segment_bytes));
  storage->manifest = std::move(*manifest);
  // The MANIFEST lists the WAL's segments, so a missing one is reported instead of read as a shorter
  // log. Record what replay left (this also upgrades a MANIFEST written before the list existed), then
  // keep the list current as segments come and go.
  Storage* s = storage.get();
  const auto record_segments = [s](const std::vector<std::uint64_t>& segments) {
    if (s->manifest.wal_segments == segments) return;
    Manifest next = s->manifest;
    next.wal_segments = segments;
    write_manifest(s->dir, next);
    s->manifest = std::move(next);
  };
  record_segments(storage->wal->segments());
  storage->wal->set_segment_listener(record_segments);
  storage->synced_lsn = report.last_lsn;
  storage->dirty = wal.batches > 0 || !report.text_reindexed.empty();
  report.duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  storage->recovery = report;
  collection->storage_ = std::move(storage);
  collection->defer_indexing_ = false;
  if (new_analyzers) {
    // New analyzer settings: record them with a checkpoint of the re-analysed index, so the next open
    // loads it instead of analysing again.
    std::lock_guard order(collection->write_mutex_);
    collection->checkpoint_locked();
  }
  collection->start_indexer();
  return collection;
}

void Collection::start_indexer() {
  {
    std::shared_lock lock(mutex_);
    if (unindexed_head_ == unindexed_.size()) return;
  }
  // Callers either hold write_mutex_ (restore) or run before any indexer exists (open), so the flag
  // cannot change under us; a finished thread has already released write_mutex_ and only needs joining.
  if (indexer_active_) return;
  if (indexer_.joinable()) indexer_.join();
  indexer_active_ = true;
  indexer_ = std::jthread([this](std::stop_token stop) {
    // Small steps under the locks, so searches and writes interleave with the catch-up.
    for (;;) {
      std::lock_guard order(write_mutex_);
      if (stop.stop_requested() || closed_ || index_some(16)) {
        indexer_active_ = false;
        return;
      }
    }
  });
}

void Collection::stop_indexer() {
  if (indexer_.joinable()) {
    indexer_.request_stop();
    indexer_.join();
  }
}

bool Collection::index_some(std::size_t limit) {
  std::unique_lock lock(mutex_);
  for (std::size_t n = 0; n < limit && unindexed_head_ < unindexed_.size(); ++n) hnsw_.insert(unindexed_[unindexed_head_++]);
  if (unindexed_head_ < unindexed_.size()) return false;
  unindexed_.clear();
  unindexed_head_ = 0;
  return true;
}

Collection::~Collection() {
  stop_indexer();
  if (storage_ && !closed_) {
    try {
      close();
    } catch (...) {
      // A destructor cannot report; the WAL still holds every acknowledged write.
    }
  }
}

void Collection::check_open() const {
  if (closed_) throw Error(ErrorCode::kClosed, "collection", "the collection is closed");
}

std::uint64_t Collection::log_batch(const std::vector<WriteOp>& batch) {
  if (!storage_) return 0;
  storage_->dirty = true;
  if (storage_->durability.mode == DurabilityMode::kNone) return storage_->wal->written_lsn();
  return storage_->wal->append(encode_batch(batch));
}

void Collection::sync_to(std::uint64_t lsn) {
  Storage& s = *storage_;
  std::unique_lock guard(s.sync_mutex);
  while (s.synced_lsn < lsn) {
    if (s.syncing) {
      s.sync_cv.wait(guard);
      continue;
    }
    s.syncing = true;
    guard.unlock();
    if (s.durability.group_commit_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(s.durability.group_commit_ms));
    std::uint64_t target = 0;
    std::exception_ptr failure;
    try {
      std::lock_guard order(write_mutex_);  // no append runs during the fsync; readers are not blocked
      if (closed_) {
        target = lsn;  // close() synced every appended batch before closing the WAL
      } else {
        target = s.wal->written_lsn();
        s.wal->sync();
      }
    } catch (...) {
      failure = std::current_exception();
    }
    guard.lock();
    s.syncing = false;
    if (!failure) s.synced_lsn = std::max(s.synced_lsn, target);
    s.sync_cv.notify_all();
    if (failure) std::rethrow_exception(failure);
  }
}

void Collection::after_write() {
  // One critical section for both checks: a close() in between must not fail a write that succeeded.
  std::lock_guard order(write_mutex_);
  if (closed_) return;
  if (needs_compaction()) {
    compact_locked();
    checkpoint_locked();  // internal ids changed: the WAL before this point must not be replayed on them
  } else if (storage_ && storage_->wal->total_bytes() >= storage_->durability.checkpoint_wal_bytes) {
    checkpoint_locked();
  }
}

bool Collection::needs_compaction() const {
  std::shared_lock lock(mutex_);
  const DurabilityOptions defaults;
  const DurabilityOptions& d = storage_ ? storage_->durability : defaults;
  const std::size_t tombstones = records_.size() - live_count_;
  return tombstones >= d.compact_min_tombstones &&
         static_cast<double>(tombstones) > d.compact_ratio * static_cast<double>(records_.size());
}

void Collection::flush() {
  std::uint64_t lsn = 0;
  {
    std::lock_guard order(write_mutex_);
    check_open();
    if (!storage_) return;
    lsn = storage_->wal->written_lsn();
  }
  sync_to(lsn);
}

std::uint64_t Collection::checkpoint() {
  std::lock_guard order(write_mutex_);
  check_open();
  return checkpoint_locked();
}

std::uint64_t Collection::checkpoint_locked() {
  if (!storage_) return 0;
  Storage& s = *storage_;
  const std::uint64_t lsn = s.wal->written_lsn();
  std::string image;
  {
    std::shared_lock read(mutex_);
    image = encode_state(lsn);
  }
  const std::string name = checkpoint_name(lsn);
  atomic_write_file(s.dir / name, image);
  const std::string previous = s.manifest.checkpoint_file;
  s.manifest.checkpoint_lsn = lsn;
  s.manifest.checkpoint_file = name;
  write_manifest(s.dir, s.manifest);
  if (!previous.empty() && previous != name) remove_file(s.dir / previous, "collection");
  s.wal->remove_segments_before(lsn + 1);
  s.dirty = false;
  return lsn;
}

void Collection::snapshot(const std::string& label) {
  validate_label(label);
  std::lock_guard order(write_mutex_);
  check_open();
  if (!storage_) throw Error(ErrorCode::kUnsupported, "collection", "snapshots need a durable collection (open it with a directory)");
  checkpoint_locked();
  const std::filesystem::path dir = storage_->dir / "snapshots";
  std::filesystem::create_directories(dir);
  const std::filesystem::path target = dir / (label + ".vsp");
  if (std::filesystem::exists(target)) throw Error(ErrorCode::kConflict, "collection", "snapshot '" + label + "' already exists");
  // A hard link shares the checkpoint's bytes; later checkpoints replace the name, not the content.
  std::error_code ec;
  std::filesystem::create_hard_link(storage_->dir / storage_->manifest.checkpoint_file, target, ec);
  if (ec) atomic_write_file(target, read_file(storage_->dir / storage_->manifest.checkpoint_file));
  fsync_dir(dir, "collection");
}

std::vector<SnapshotInfo> Collection::list_snapshots() const {
  std::lock_guard order(write_mutex_);
  check_open();
  std::vector<SnapshotInfo> out;
  if (!storage_) return out;
  const std::filesystem::path dir = storage_->dir / "snapshots";
  if (!std::filesystem::exists(dir)) return out;
  for (const std::string& name : list_files(dir, "collection")) {
    if (name.size() <= 4 || name.compare(name.size() - 4, 4, ".vsp") != 0) continue;
    std::ifstream in(dir / name, std::ios::binary);
    unsigned char header[16] = {0};
    in.read(reinterpret_cast<char*>(header), sizeof(header));
    std::uint64_t lsn = 0;
    for (int i = 7; i >= 0; --i) lsn = (lsn << 8) | header[8 + i];
    out.push_back(SnapshotInfo{name.substr(0, name.size() - 4), lsn});
  }
  std::sort(out.begin(), out.end(), [](const SnapshotInfo& a, const SnapshotInfo& b) { return a.label < b.label; });
  return out;
}

void Collection::restore(const std::string& label) {
  validate_label(label);
  std::lock_guard order(write_mutex_);
  check_open();
  if (!storage_) throw Error(ErrorCode::kUnsupported, "collection", "snapshots need a durable collection (open it with a directory)");
  const std::filesystem::path path = storage_->dir / "snapshots" / (label + ".vsp");
  if (!std::filesystem::exists(path)) throw Error(ErrorCode::kNotFound, "collection", "no snapshot named '" + label + "'");
  const MappedFile mapped(path, "collection");
  const std::string_view image = mapped.bytes();
  {
    std::unique_lock lock(mutex_);
    decode_state(image, "snapshot " + label);  // verifies the checksum before replacing anything
  }
  start_indexer();  // a snapshot taken mid catch-up holds queued vectors
  // The restored state becomes the checkpoint at the current LSN, superseding the WAL before it.
  storage_->dirty = true;
  checkpoint_locked();
}

void Collection::compact() {
  std::lock_guard order(write_mutex_);
  check_open();
  compact_locked();
  checkpoint_locked();  // internal ids changed: the WAL before this point must not be replayed on them
}

void Collection::close() {
  stop_indexer();  // before taking write_mutex_: the indexer takes it for every step
  std::lock_guard order(write_mutex_);
  if (closed_) return;
  if (storage_) {
    Storage& s = *storage_;
    if (s.durability.mode != DurabilityMode::kNone) s.wal->sync();
    if (s.dirty || s.wal->written_lsn() > s.manifest.checkpoint_lsn) checkpoint_locked();
  }
  std::unique_lock lock(mutex_);
  closed_ = true;
  if (storage_) {
    // Keep storage_ itself: a writer may still be waiting in sync_to() on its group-commit state.
    storage_->wal.reset();
    storage_->lock.reset();  // another process may open the directory now
  }
}

}  // namespace vesper
