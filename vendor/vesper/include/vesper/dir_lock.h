// One writer process per collection directory: an advisory lock on <dir>/LOCK held while open.
#pragma once

#include <filesystem>

namespace vesper {

class DirLock {
 public:
  /// Takes the lock or throws kLocked naming the directory (and the holder's pid when known).
  explicit DirLock(const std::filesystem::path& dir);
  ~DirLock();
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace vesper
