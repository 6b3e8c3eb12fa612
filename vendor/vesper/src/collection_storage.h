// Private to the engine: the durable state of an open collection (see collection_storage.cpp).
#pragma once

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>

#include "vesper/collection.h"
#include "vesper/dir_lock.h"
#include "vesper/manifest.h"
#include "vesper/wal_writer.h"

namespace vesper {

struct Collection::Storage {
  std::filesystem::path dir;
  DurabilityOptions durability;
  std::unique_ptr<DirLock> lock;
  std::unique_ptr<WalWriter> wal;
  Manifest manifest;
  RecoveryReport recovery;
  bool dirty = false;  // writes not yet in a checkpoint (matters for durability none)
  // Group commit: one writer at a time fsyncs (the leader); the others wait for it and find their LSN
  // covered, so concurrent commits share one fsync.
  std::mutex sync_mutex;
  std::condition_variable sync_cv;
  bool syncing = false;
  std::uint64_t synced_lsn = 0;
};

}  // namespace vesper
