#include "vesper/file_util.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "vesper/error.h"

namespace vesper {
namespace {

[[noreturn]] void throw_io(const char* component, const char* what, const std::filesystem::path& path,
                           int err) {
  throw Error(ErrorCode::kIo, component,
              std::string(what) + " " + path.string() + ": " + std::generic_category().message(err));
}

// A single read/write is capped so the count always fits ssize_t and huge buffers make progress.
constexpr std::size_t kMaxIoChunk = std::size_t{1} << 30;

}  // namespace

void UniqueFd::reset(int fd) noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

UniqueFd open_file(const std::filesystem::path& path, int flags, mode_t mode, const char* component) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) throw_io(component, "open", path, errno);
  return UniqueFd(fd);
}

void write_all(int fd, const void* data, std::size_t size, const std::filesystem::path& path,
               const char* component) {
  const auto* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, p, std::min(size, kMaxIoChunk));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_io(component, "write", path, errno);
    }
    if (n == 0) throw_io(component, "write", path, EIO);  // no progress: never spin
    p += n;
    size -= static_cast<std::size_t>(n);
  }
}

void pwrite_all(int fd, const void* data, std::size_t size, std::uint64_t offset,
                const std::filesystem::path& path, const char* component) {
  const auto* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::pwrite(fd, p, std::min(size, kMaxIoChunk), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_io(component, "write", path, errno);
    }
    if (n == 0) throw_io(component, "write", path, EIO);
    p += n;
    size -= static_cast<std::size_t>(n);
    offset += static_cast<std::uint64_t>(n);
  }
}

std::size_t pread_full(int fd, void* data, std::size_t size, std::uint64_t offset,
                       const std::filesystem::path& path, const char* component) {
  auto* p = static_cast<char*>(data);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd, p + done, std::min(size - done, kMaxIoChunk), static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_io(component, "read", path, errno);
    }
    if (n == 0) break;  // end of file
    done += static_cast<std::size_t>(n);
  }
  return done;
}

std::uint64_t fd_size(int fd, const std::filesystem::path& path, const char* component) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw_io(component, "stat", path, errno);
  return static_cast<std::uint64_t>(st.st_size);
}

void truncate_fd(int fd, std::uint64_t size, const std::filesystem::path& path, const char* component) {
  int rc;
  do {
    rc = ::ftruncate(fd, static_cast<off_t>(size));
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) throw_io(component, "truncate", path, errno);
}

void fsync_file(int fd, const std::filesystem::path& path, const char* component) {
  if (::fsync(fd) != 0) throw_io(component, "fsync", path, errno);
}

void fdatasync_file(int fd, const std::filesystem::path& path, const char* component) {
  if (::fdatasync(fd) != 0) throw_io(component, "fdatasync", path, errno);
}

void fsync_dir(const std::filesystem::path& dir, const char* component) {
  const UniqueFd fd = open_file(dir, O_RDONLY | O_DIRECTORY, 0, component);
  if (::fsync(fd.get()) != 0) throw_io(component, "fsync", dir, errno);
}

void atomic_write_file(const std::filesystem::path& path, std::string_view bytes, const char* component) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  try {
    UniqueFd fd = open_file(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644, component);
    write_all(fd.get(), bytes.data(), bytes.size(), tmp, component);
    fsync_file(fd.get(), tmp, component);
  } catch (...) {
    ::unlink(tmp.c_str());  // best effort: never leave a half-written temp behind
    throw;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw_io(component, "rename", tmp, err);
  }
  // The rename is only durable once the directory entry is.
  const std::filesystem::path parent = path.has_parent_path() ? path.parent_path() : ".";
  fsync_dir(parent, component);
}

std::vector<std::string> list_files(const std::filesystem::path& dir, const char* component) {
  std::vector<std::string> names;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) return names;
    throw_io(component, "list", dir, ec.value());
  }
  for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    std::error_code type_ec;
    if (it->is_regular_file(type_ec)) names.push_back(it->path().filename().string());
  }
  if (ec) throw_io(component, "list", dir, ec.value());
  std::sort(names.begin(), names.end());
  return names;
}

void remove_file(const std::filesystem::path& path, const char* component) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) throw_io(component, "unlink", path, errno);
}

MappedFile::MappedFile(const std::filesystem::path& path, const char* component) {
  const UniqueFd fd = open_file(path, O_RDONLY, 0, component);
  size_ = static_cast<std::size_t>(fd_size(fd.get(), path, component));
  if (size_ == 0) return;
  void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (p == MAP_FAILED) {
    const int err = errno;
    size_ = 0;
    throw Error(ErrorCode::kIo, component, "mmap " + path.string() + ": " + std::strerror(err));
  }
  // Read front to back once (checksum, decode): let the kernel read ahead aggressively.
  ::madvise(p, size_, MADV_SEQUENTIAL);
  data_ = p;
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(data_, size_);
}

}  // namespace vesper
