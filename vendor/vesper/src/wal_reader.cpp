#include "vesper/wal_reader.h"

#include <fcntl.h>

#include <algorithm>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

#include "vesper/crc32c.h"
#include "vesper/error.h"
#include "vesper/file_util.h"
#include "vesper/wal_format.h"

namespace vesper {
namespace {

constexpr const char* kComponent = "wal";
constexpr std::size_t kWindowBytes = std::size_t{1} << 20;

// Buffered access to a segment scanned mostly front to back: one pread per MiB, not per frame.
class FileWindow {
 public:
  FileWindow(int fd, std::uint64_t file_size, const std::filesystem::path& path)
      : fd_(fd), file_size_(file_size), path_(path) {}

  /// Bytes [offset, offset + n); the caller guarantees offset + n <= file size. Valid until the next get.
  const unsigned char* get(std::uint64_t offset, std::size_t n) {
    if (offset >= start_ && offset - start_ + n <= buf_.size()) return buf_.data() + (offset - start_);
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(std::max(n, kWindowBytes), file_size_ - offset));
    buf_.resize(want);
    if (pread_full(fd_, buf_.data(), want, offset, path_, kComponent) != want) {
      throw Error(ErrorCode::kIo, kComponent, path_.string() + " shrank while being replayed");
    }
    start_ = offset;
    return buf_.data();
  }

 private:
  int fd_;
  std::uint64_t file_size_;
  const std::filesystem::path& path_;
  std::vector<unsigned char> buf_;
  std::uint64_t start_ = 0;
};

struct Frame {
  WalFrameHeader header;
  const unsigned char* payload = nullptr;
  std::size_t payload_size = 0;
};

struct BadFrame {
  std::string reason;  // short, stable: reported in WalRecovery::reason
  std::string detail;  // for error messages
};

// Frame-level validation: everything a torn or garbled write can produce. Lengths are checked against
// the file before anything is read or allocated.
std::optional<BadFrame> read_frame(FileWindow& w, std::uint64_t pos, std::uint64_t size, Frame& out) {
  const std::uint64_t remaining = size - pos;
  if (remaining < kWalHeaderSize) {
    return BadFrame{"torn frame header", "torn frame header (" + std::to_string(remaining) + " bytes left)"};
  }
  const WalFrameHeader h = decode_wal_header(w.get(pos, kWalHeaderSize));
  if (h.magic != kWalMagic) return BadFrame{"bad magic", "bad magic"};
  if (h.length < kWalFrameOverhead || h.length > kWalMaxFrameSize) {
    return BadFrame{"bad frame length", "bad frame length " + std::to_string(h.length)};
  }
  if (h.length > remaining) {
    return BadFrame{"torn frame", "torn frame (length " + std::to_string(h.length) + ", " +
                                      std::to_string(remaining) + " bytes left)"};
  }
  const unsigned char* f = w.get(pos, h.length);
  if (!wal_frame_crc_ok(f, h.length)) return BadFrame{"crc mismatch", "crc mismatch"};
  out.header = h;
  out.payload = f + kWalHeaderSize;
  out.payload_size = h.length - kWalFrameOverhead;
  return std::nullopt;
}

// The first offset >= from holding a CRC-valid commit frame. Commit frames have a fixed size, so the
// scan stays linear however many fake magics the garbage holds.
std::optional<std::uint64_t> find_commit_frame(FileWindow& w, std::uint64_t from, std::uint64_t size) {
  for (std::uint64_t pos = from; pos + kWalCommitFrameSize <= size; ++pos) {
    const unsigned char* p = w.get(pos, kWalCommitFrameSize);
    const WalFrameHeader h = decode_wal_header(p);
    if (h.magic == kWalMagic && h.length == kWalCommitFrameSize &&
        h.type == static_cast<std::uint16_t>(WalFrameType::kCommit) && h.reserved == 0 &&
        wal_frame_crc_ok(p, kWalCommitFrameSize)) {
      return pos;
    }
  }
  return std::nullopt;
}

struct SegmentFile {
  std::uint64_t first_lsn = 0;
  std::string name;
  std::uint64_t size = 0;
};

// How a segment ended when it did not end cleanly at a batch boundary.
struct Tail {
  std::uint64_t batch_end = 0;   // end of the last complete batch: where a repair cuts
  std::uint64_t bad_offset = 0;  // the bad frame (or the unfinished batch)
  std::optional<BadFrame> bad;   // nullopt: valid frames up to EOF, but no commit
};

class Replayer {
 public:
  Replayer(const std::filesystem::path& dir, std::uint64_t after_lsn,
           const std::function<void(const WalBatch&)>& apply, const std::vector<std::uint64_t>* recorded)
      : dir_(dir), after_lsn_(after_lsn), apply_(apply), recorded_(recorded) {
    std::filesystem::path d = dir;
    if (!d.has_filename()) d = d.parent_path();  // "x/wal/" names the directory "wal" too
    display_dir_ = d.filename().string();
  }

  WalRecovery run() {
    std::vector<SegmentFile> segs = list_segments();
    check_recorded(segs);
    // Trailing empty segments (created, then a crash before the first write) hold nothing.
    std::size_t live = segs.size();
    while (live > 0 && segs[live - 1].size == 0) --live;

    std::optional<std::pair<std::size_t, Tail>> repair;
    for (std::size_t i = 0; i < live; ++i) {
      if (segs[i].size == 0) continue;  // an empty segment in the middle holds no frames
      const bool last = i + 1 == live;
      const auto path = dir_ / segs[i].name;
      const UniqueFd fd = open_file(path, O_RDONLY, 0, kComponent);
      segs[i].size = fd_size(fd.get(), path, kComponent);
      FileWindow window(fd.get(), segs[i].size, path);
      std::optional<Tail> tail = scan_segment(window, segs[i]);
      if (tail) {
        check_droppable(window, segs[i], *tail, last);
        repair.emplace(i, *tail);
      } else {
        // What was applied must stay durable before the writer appends after it.
        fdatasync_file(fd.get(), path, kComponent);
      }
    }

    bool dir_changed = false;
    if (repair) {
      const auto& [i, tail] = *repair;
      const auto path = dir_ / segs[i].name;
      if (tail.batch_end == 0 && is_recorded(segs[i].first_lsn)) {
        corrupt(segs[i], 0, (tail.bad ? tail.bad->detail : std::string("batch without commit")) +
                                "; the MANIFEST records this segment, whose first frame was made durable, refusing to drop it");
      }
      if (tail.batch_end == 0) {
        remove_file(path, kComponent);
        dir_changed = true;
      } else {
        const UniqueFd fd = open_file(path, O_WRONLY, 0, kComponent);
        truncate_fd(fd.get(), tail.batch_end, path, kComponent);
        fsync_file(fd.get(), path, kComponent);
      }
      result_.truncated = true;
      result_.truncated_file = display(segs[i].name);
      result_.truncated_offset = tail.batch_end;
      result_.dropped_bytes = segs[i].size - tail.batch_end;
      result_.reason = tail.bad ? tail.bad->reason : "batch without commit";
    }
    for (std::size_t i = live; i < segs.size(); ++i) {
      remove_file(dir_ / segs[i].name, kComponent);
      dir_changed = true;
    }
    if (dir_changed) fsync_dir(dir_, kComponent);
    result_.last_lsn = std::max(after_lsn_, kept_lsn_);
    return result_;
  }

 private:
  std::string display(const std::string& name) const { return display_dir_ + "/" + name; }

  [[noreturn]] void corrupt(const SegmentFile& seg, std::uint64_t offset, const std::string& what) const {
    throw Error(ErrorCode::kCorruption, kComponent,
                display(seg.name) + " at offset " + std::to_string(offset) + ": " + what);
  }

  bool is_recorded(std::uint64_t first_lsn) const {
    return recorded_ != nullptr && std::find(recorded_->begin(), recorded_->end(), first_lsn) != recorded_->end();
  }

  // Every segment the MANIFEST records must be there with its first frame; a missing one would
  // otherwise read as a shorter log, silently dropping its batches.
  void check_recorded(const std::vector<SegmentFile>& segs) const {
    if (recorded_ == nullptr) return;
    for (std::uint64_t first : *recorded_) {
      const auto it = std::find_if(segs.begin(), segs.end(), [&](const SegmentFile& s) { return s.first_lsn == first; });
      const std::string name = display(wal_segment_name(first));
      if (it == segs.end()) {
        throw Error(ErrorCode::kCorruption, kComponent,
                    name + " is missing: the MANIFEST records it as part of the WAL (its batches, from LSN " +
                        std::to_string(first) + " on, would be lost); restore the file or the collection from a backup or snapshot");
      }
      if (it->size == 0) {
        throw Error(ErrorCode::kCorruption, kComponent,
                    name + " is empty: the MANIFEST records it and its first frame was made durable (the file was truncated)");
      }
    }
  }

  std::vector<SegmentFile> list_segments() const {
    std::vector<SegmentFile> segs;
    for (std::string& name : list_files(dir_, kComponent)) {
      const auto first = parse_wal_segment_name(name);
      if (!first) continue;  // temp files and the like are not ours
      std::error_code ec;
      const auto size = std::filesystem::file_size(dir_ / name, ec);
      if (ec) throw Error(ErrorCode::kIo, kComponent, "stat " + (dir_ / name).string() + ": " + ec.message());
      segs.push_back({*first, std::move(name), size});
    }
    std::sort(segs.begin(), segs.end(),
              [](const SegmentFile& a, const SegmentFile& b) { return a.first_lsn < b.first_lsn; });
    return segs;
  }

  // LSNs: +1 per frame everywhere. The one tolerated gap is between segments and entirely at or below
  // after_lsn: a checkpoint can cover batches whose unsynced WAL tail a crash lost.
  void check_lsn(const SegmentFile& seg, std::uint64_t offset, std::uint64_t lsn, bool segment_start) {
    if (lsn == 0) corrupt(seg, offset, "frame has LSN 0");
    if (segment_start && lsn != seg.first_lsn) {
      corrupt(seg, offset, "first frame has LSN " + std::to_string(lsn) + " but the segment name says " +
                               std::to_string(seg.first_lsn));
    }
    if (prev_lsn_ == 0) {
      if (lsn - 1 > after_lsn_) {
        corrupt(seg, offset, "the WAL starts at LSN " + std::to_string(lsn) + " but replay starts after LSN " +
                                 std::to_string(after_lsn_) + "; the LSNs between are missing");
      }
    } else if (lsn != prev_lsn_ + 1) {
      if (lsn <= prev_lsn_) {
        corrupt(seg, offset, "LSN " + std::to_string(lsn) + " does not increase (previous " +
                                 std::to_string(prev_lsn_) + ")");
      }
      if (!segment_start || lsn - 1 > after_lsn_) {
        corrupt(seg, offset, "LSN gap: " + std::to_string(lsn) + " follows " + std::to_string(prev_lsn_));
      }
    }
    prev_lsn_ = lsn;
  }

  // Applies the segment's committed batches; returns how it ended unless it ended at a batch boundary.
  std::optional<Tail> scan_segment(FileWindow& w, const SegmentFile& seg) {
    std::uint64_t pos = 0;
    std::uint64_t batch_end = 0;
    std::string pending;  // payload of the batch being assembled
    std::uint32_t pending_frames = 0;
    while (pos < seg.size) {
      Frame f;
      if (auto bad = read_frame(w, pos, seg.size, f)) return Tail{batch_end, pos, std::move(bad)};
      const WalFrameHeader& h = f.header;
      // A CRC-valid frame was written as is: anything odd in it is corruption, never a torn write.
      if (h.reserved != 0) corrupt(seg, pos, "reserved field is " + std::to_string(h.reserved));
      check_lsn(seg, pos, h.lsn, pos == 0);
      switch (static_cast<WalFrameType>(h.type)) {
        case WalFrameType::kData:
          if (pending_frames == UINT32_MAX) corrupt(seg, pos, "too many data frames in one batch");
          pending.append(reinterpret_cast<const char*>(f.payload), f.payload_size);
          ++pending_frames;
          break;
        case WalFrameType::kCommit:
          commit(seg, pos, h.lsn, std::string_view(reinterpret_cast<const char*>(f.payload), f.payload_size),
                 pending, pending_frames);
          pending.clear();
          pending_frames = 0;
          break;
        case WalFrameType::kPadding:
          break;
        default:
          corrupt(seg, pos, "unknown frame type " + std::to_string(h.type));
      }
      pos += h.length;
      if (pending_frames == 0) {
        batch_end = pos;
        kept_lsn_ = h.lsn;
      }
    }
    if (pending_frames > 0) return Tail{batch_end, batch_end, std::nullopt};
    return std::nullopt;
  }

  void commit(const SegmentFile& seg, std::uint64_t pos, std::uint64_t lsn, std::string_view payload,
              std::string& pending, std::uint32_t pending_frames) {
    const auto c = decode_wal_commit(payload);
    if (!c) corrupt(seg, pos, "commit frame payload is " + std::to_string(payload.size()) + " bytes");
    if (pending_frames == 0) corrupt(seg, pos, "commit frame without data frames");
    if (c->data_frames != pending_frames) {
      corrupt(seg, pos, "commit frame counts " + std::to_string(c->data_frames) + " data frames, the batch has " +
                            std::to_string(pending_frames));
    }
    if (c->payload_size != pending.size() || c->payload_crc != crc32c(pending.data(), pending.size())) {
      corrupt(seg, pos, "batch payload does not match its commit frame");
    }
    if (lsn > after_lsn_) {
      const WalBatch batch{lsn, std::move(pending)};
      apply_(batch);
      ++result_.batches;
    }
  }

  // Cutting a tail may only drop what was never committed; otherwise refuse, naming file and offset.
  void check_droppable(FileWindow& w, const SegmentFile& seg, const Tail& tail, bool last) const {
    const std::string what = tail.bad ? tail.bad->detail : "batch without commit";
    if (!last) corrupt(seg, tail.bad_offset, what + "; later segments follow, refusing to drop them");
    if (!tail.bad) return;
    if (const auto next = find_commit_frame(w, tail.bad_offset + 1, seg.size)) {
      corrupt(seg, tail.bad_offset,
              what + "; valid frames follow (a commit frame at offset " + std::to_string(*next) +
                  "), refusing to drop them");
    }
  }

  const std::filesystem::path& dir_;
  std::string display_dir_;
  const std::uint64_t after_lsn_;
  const std::function<void(const WalBatch&)>& apply_;
  const std::vector<std::uint64_t>* recorded_;
  WalRecovery result_;
  std::uint64_t prev_lsn_ = 0;  // LSN of the last valid frame (0: none yet)
  std::uint64_t kept_lsn_ = 0;  // LSN of the last frame at a batch boundary: what survives a repair
};

}  // namespace

WalRecovery replay_wal(const std::filesystem::path& dir, std::uint64_t after_lsn,
                       const std::function<void(const WalBatch&)>& apply, const std::vector<std::uint64_t>* recorded) {
  return Replayer(dir, after_lsn, apply, recorded).run();
}

}  // namespace vesper
