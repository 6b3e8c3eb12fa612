// Small POSIX file helpers for durable storage: an owning fd, full reads/writes that retry on EINTR and
// short counts, fsync of files and directories, and atomic whole-file replacement.
// Every failure throws vesper::Error(kIo, component, "<what> <path>: <strerror>"); `component` lets the
// caller ("wal", "checkpoint", …) own its I/O errors.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace vesper {

/// Owns a file descriptor; closes it on destruction. Move-only.
class UniqueFd {
 public:
  UniqueFd() noexcept = default;
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }
  explicit operator bool() const noexcept { return valid(); }
  /// Gives up ownership without closing.
  int release() noexcept {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  /// Closes the current fd (errors ignored: close() after a failed write/fsync is not a durability
  /// signal — callers that need durability fsync first) and takes `fd`.
  void reset(int fd = -1) noexcept;

 private:
  int fd_ = -1;
};

/// open(2) with O_CLOEXEC added. Throws kIo on failure.
UniqueFd open_file(const std::filesystem::path& path, int flags, mode_t mode = 0644,
                   const char* component = "file");

/// Writes all `size` bytes at the fd's current position.
void write_all(int fd, const void* data, std::size_t size, const std::filesystem::path& path,
               const char* component = "file");

/// Writes all `size` bytes at `offset` (pwrite; the fd position is unchanged).
void pwrite_all(int fd, const void* data, std::size_t size, std::uint64_t offset,
                const std::filesystem::path& path, const char* component = "file");

/// Reads up to `size` bytes at `offset`; returns fewer only at end of file.
std::size_t pread_full(int fd, void* data, std::size_t size, std::uint64_t offset,
                       const std::filesystem::path& path, const char* component = "file");

/// fstat size of an open file.
std::uint64_t fd_size(int fd, const std::filesystem::path& path, const char* component = "file");

/// ftruncate.
void truncate_fd(int fd, std::uint64_t size, const std::filesystem::path& path,
                 const char* component = "file");

/// fsync (data + metadata).
void fsync_file(int fd, const std::filesystem::path& path, const char* component = "file");

/// fdatasync (data + the metadata needed to read it back, e.g. the size).
void fdatasync_file(int fd, const std::filesystem::path& path, const char* component = "file");

/// fsyncs a directory so that creates, renames and unlinks inside it are durable.
void fsync_dir(const std::filesystem::path& dir, const char* component = "file");

/// Replaces `path` with `bytes` atomically and durably: write `<path>.tmp`, fsync, rename over `path`,
/// fsync the parent directory. A crash leaves either the old or the new content, never a mix.
void atomic_write_file(const std::filesystem::path& path, std::string_view bytes,
                       const char* component = "file");

/// Names (not paths) of the regular files directly in `dir`, sorted. A missing `dir` yields {}.
std::vector<std::string> list_files(const std::filesystem::path& dir, const char* component = "file");

/// A whole file mapped read-only (private): checkpoints are read through the page cache without a
/// copy. The bytes stay valid while the object lives, even if the file is unlinked meanwhile.
class MappedFile {
 public:
  /// Throws kIo naming the file.
  explicit MappedFile(const std::filesystem::path& path, const char* component = "file");
  MappedFile(MappedFile&& other) noexcept : data_(other.data_), size_(other.size_) { other.data_ = nullptr, other.size_ = 0; }
  MappedFile& operator=(MappedFile&&) = delete;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();
  std::string_view bytes() const noexcept { return {static_cast<const char*>(data_), size_}; }

 private:
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

/// unlink; a missing file is not an error.
void remove_file(const std::filesystem::path& path, const char* component = "file");

}  // namespace vesper
