#include "vesper/wal_writer.h"

#include <fcntl.h>

#include <algorithm>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "vesper/crc32c.h"
#include "vesper/error.h"
#include "vesper/file_util.h"

namespace vesper {
namespace {

constexpr const char* kComponent = "wal";
// Keep the encode buffer for typical batches, but do not pin memory after a rare huge one.
constexpr std::size_t kMaxRetainedBuffer = std::size_t{4} << 20;

struct Segment {
  std::uint64_t first_lsn = 0;
  std::uint64_t size = 0;
};

}  // namespace

struct WalWriter::Impl {
  std::filesystem::path dir;
  std::size_t segment_bytes = 0;
  std::size_t max_frame_payload = 0;
  std::uint64_t next_lsn = 0;
  std::uint64_t written_lsn = 0;
  std::uint64_t synced_lsn = 0;
  std::uint64_t total_bytes = 0;
  std::vector<Segment> segments;  // ascending; back() is the open one when `fd` is valid
  UniqueFd fd;
  bool fd_dirty = false;  // `fd` has writes not yet fdatasync'ed
  // Segments rotated out before their last writes were synced: sync() must still cover them.
  std::vector<std::pair<std::uint64_t, UniqueFd>> unsynced;
  bool dir_dirty = false;  // a segment was created since the last directory fsync
  std::string failure;     // non-empty: poisoned, every call throws
  std::string buf;
  WalWriter::SegmentListener listener;

  std::filesystem::path segment_path(std::uint64_t first_lsn) const { return dir / wal_segment_name(first_lsn); }

  void check_usable() const {
    if (!failure.empty()) throw Error(ErrorCode::kIo, kComponent, "wal writer failed earlier: " + failure);
  }

  void retire_current() {
    if (fd_dirty) unsynced.emplace_back(segments.back().first_lsn, std::move(fd));
    fd.reset();
    fd_dirty = false;
  }

  std::vector<std::uint64_t> segment_list() const {
    std::vector<std::uint64_t> out;
    out.reserve(segments.size());
    for (const Segment& seg : segments) out.push_back(seg.first_lsn);
    return out;
  }

  // With a listener, a new segment starts with a durable padding frame and is announced before any
  // batch enters it; on failure nothing changes (the file is removed again, no LSN is consumed).
  void create_segment() {
    const std::uint64_t first = next_lsn;
    const auto path = segment_path(first);
    UniqueFd file = open_file(path, O_WRONLY | O_CREAT | O_TRUNC, 0644, kComponent);
    if (!listener) {
      fd = std::move(file);
      segments.push_back({first, 0});
      dir_dirty = true;
      return;
    }
    std::string header;
    append_wal_frame(header, WalFrameType::kPadding, first, {});
    try {
      pwrite_all(file.get(), header.data(), header.size(), 0, path, kComponent);
      fdatasync_file(file.get(), path, kComponent);
      fsync_dir(dir, kComponent);
      segments.push_back({first, header.size()});
      try {
        listener(segment_list());
      } catch (...) {
        segments.pop_back();
        throw;
      }
    } catch (const Error& e) {
      try {
        remove_file(path, kComponent);
      } catch (const Error& re) {
        failure = std::string(e.what()) + "; then " + re.what();
      }
      throw;
    }
    fd = std::move(file);
    total_bytes += header.size();
    next_lsn = first + 1;
    written_lsn = first;  // the padding frame ends cleanly, like a batch, if nothing follows it
  }

};

WalWriter::WalWriter(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
WalWriter::WalWriter(WalWriter&&) noexcept = default;
WalWriter& WalWriter::operator=(WalWriter&&) noexcept = default;
WalWriter::~WalWriter() = default;

WalWriter::Impl& WalWriter::impl() const {
  if (!impl_) throw Error(ErrorCode::kClosed, kComponent, "wal writer is closed (moved from)");
  return *impl_;
}

WalWriter WalWriter::open(const std::filesystem::path& dir, std::uint64_t next_lsn, std::size_t segment_bytes,
                          std::size_t max_frame_payload) {
  if (next_lsn == 0) throw_invalid(kComponent, "next_lsn must be >= 1");
  if (segment_bytes == 0) throw_invalid(kComponent, "segment_bytes must be > 0");
  if (max_frame_payload == 0 || max_frame_payload > kWalMaxFramePayload) {
    throw_invalid(kComponent, "max_frame_payload must be in [1, " + std::to_string(kWalMaxFramePayload) + "]");
  }
  std::error_code ec;
  const bool created = std::filesystem::create_directories(dir, ec);
  if (ec) throw Error(ErrorCode::kIo, kComponent, "create directory " + dir.string() + ": " + ec.message());
  if (created) fsync_dir(dir.has_parent_path() ? dir.parent_path() : ".", kComponent);

  auto s = std::make_unique<Impl>();
  s->dir = dir;
  s->segment_bytes = segment_bytes;
  s->max_frame_payload = max_frame_payload;
  s->next_lsn = next_lsn;
  s->written_lsn = s->synced_lsn = next_lsn - 1;

  bool removed_any = false;
  for (const std::string& name : list_files(dir, kComponent)) {
    const auto first = parse_wal_segment_name(name);
    if (!first) continue;
    const auto path = dir / name;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) throw Error(ErrorCode::kIo, kComponent, "stat " + path.string() + ": " + ec.message());
    if (*first >= next_lsn) {
      // Appending would duplicate those LSNs: the caller skipped replay or passed a stale LSN.
      if (size > 0) {
        throw_invalid(kComponent, "segment " + name + " already holds LSNs >= next_lsn " + std::to_string(next_lsn) +
                                      "; replay the WAL and open at its last_lsn + 1");
      }
      remove_file(path, kComponent);  // empty leftovers hold nothing; a fresh segment replaces them
      removed_any = true;
      continue;
    }
    s->segments.push_back({*first, size});
    s->total_bytes += size;
  }
  if (removed_any) fsync_dir(dir, kComponent);
  std::sort(s->segments.begin(), s->segments.end(),
            [](const Segment& a, const Segment& b) { return a.first_lsn < b.first_lsn; });
  return WalWriter(std::move(s));
}

std::uint64_t WalWriter::append(std::string_view batch_payload) {
  Impl& s = impl();
  s.check_usable();
  const std::size_t data_frames =
      batch_payload.empty() ? 1 : (batch_payload.size() - 1) / s.max_frame_payload + 1;
  if (data_frames > UINT32_MAX || data_frames + 1 >= UINT64_MAX - s.next_lsn) {  // + 1: a segment's padding frame
    throw_invalid(kComponent, "batch payload of " + std::to_string(batch_payload.size()) + " bytes is too large");
  }
  // Rotate only here, at a batch boundary, so a batch never spans segments.
  if (s.fd && s.segments.back().size >= s.segment_bytes) s.retire_current();
  if (!s.fd) s.create_segment();
  const std::uint64_t commit_lsn = s.next_lsn + data_frames;

  s.buf.clear();
  std::uint64_t lsn = s.next_lsn;
  for (std::size_t off = 0, i = 0; i < data_frames; ++i, off += s.max_frame_payload) {
    append_wal_frame(s.buf, WalFrameType::kData, lsn++, batch_payload.substr(off, s.max_frame_payload));
  }
  WalCommit commit;
  commit.data_frames = static_cast<std::uint32_t>(data_frames);
  commit.payload_crc = crc32c(batch_payload.data(), batch_payload.size());
  commit.payload_size = batch_payload.size();
  append_wal_frame(s.buf, WalFrameType::kCommit, commit_lsn, encode_wal_commit(commit));

  Segment& seg = s.segments.back();
  const auto path = s.segment_path(seg.first_lsn);
  try {
    s.fd_dirty = true;
    pwrite_all(s.fd.get(), s.buf.data(), s.buf.size(), seg.size, path, kComponent);
  } catch (const Error& e) {
    // A partial batch must not stay in front of the next one: cut back to the batch start.
    try {
      truncate_fd(s.fd.get(), seg.size, path, kComponent);
    } catch (const Error& te) {
      s.failure = std::string(e.what()) + "; then " + te.what();
    }
    throw;
  }
  seg.size += s.buf.size();
  s.total_bytes += s.buf.size();
  s.next_lsn = commit_lsn + 1;
  s.written_lsn = commit_lsn;
  if (s.buf.capacity() > kMaxRetainedBuffer) std::string().swap(s.buf);
  return commit_lsn;
}

void WalWriter::sync() {
  Impl& s = impl();
  s.check_usable();
  try {
    for (auto& [first_lsn, fd] : s.unsynced) fdatasync_file(fd.get(), s.segment_path(first_lsn), kComponent);
    s.unsynced.clear();
    if (s.fd && s.fd_dirty) {
      fdatasync_file(s.fd.get(), s.segment_path(s.segments.back().first_lsn), kComponent);
      s.fd_dirty = false;
    }
    if (s.dir_dirty) {
      fsync_dir(s.dir, kComponent);
      s.dir_dirty = false;
    }
  } catch (const Error& e) {
    s.failure = e.what();
    throw;
  }
  s.synced_lsn = s.written_lsn;
}

std::uint64_t WalWriter::written_lsn() const { return impl().written_lsn; }
std::uint64_t WalWriter::synced_lsn() const { return impl().synced_lsn; }
std::uint64_t WalWriter::total_bytes() const { return impl().total_bytes; }

void WalWriter::set_segment_listener(SegmentListener listener) { impl().listener = std::move(listener); }

std::vector<std::uint64_t> WalWriter::segments() const { return impl().segment_list(); }

void WalWriter::remove_segments_before(std::uint64_t lsn) {
  Impl& s = impl();
  std::size_t drop = 0;
  while (drop < s.segments.size()) {
    const bool is_open = s.fd && drop + 1 == s.segments.size();
    if (is_open) break;
    // A segment's frames end right before the next segment's first LSN (or the writer's next LSN).
    const std::uint64_t next_first = drop + 1 < s.segments.size() ? s.segments[drop + 1].first_lsn : s.next_lsn;
    if (next_first > lsn) break;
    ++drop;
  }
  if (drop == 0) return;
  // Announce first: a crash after it leaves unannounced files below the checkpoint, which are harmless;
  // the other order would leave announced files missing, which reads as corruption.
  if (s.listener) {
    std::vector<std::uint64_t> kept = s.segment_list();
    kept.erase(kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(drop));
    s.listener(kept);
  }
  // Oldest first, so a crash part-way leaves the newest segments, never a hole between them.
  for (std::size_t i = 0; i < drop; ++i) {
    const Segment seg = s.segments.front();
    remove_file(s.segment_path(seg.first_lsn), kComponent);
    std::erase_if(s.unsynced, [&seg](const auto& u) { return u.first == seg.first_lsn; });
    s.segments.erase(s.segments.begin());
    s.total_bytes -= seg.size;
  }
  fsync_dir(s.dir, kComponent);
}

}  // namespace vesper
