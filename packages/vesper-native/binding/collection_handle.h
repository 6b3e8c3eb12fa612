// The JS-side handle of an open collection. Every method returns a promise settled off the JS thread.
#pragma once

#include <napi.h>

#include <functional>
#include <memory>
#include <string>

#include "vesper/collection.h"

namespace vesper_native {

class CollectionHandle : public Napi::ObjectWrap<CollectionHandle> {
 public:
  static Napi::Function define(Napi::Env env);
  /// Wraps an engine collection in a new handle (called once the open worker finished).
  static Napi::Object wrap(Napi::Env env, std::shared_ptr<vesper::Collection> collection, std::string dir);

  explicit CollectionHandle(const Napi::CallbackInfo& info);

 private:
  Napi::Value upsert(const Napi::CallbackInfo& info);
  Napi::Value remove(const Napi::CallbackInfo& info);
  Napi::Value get(const Napi::CallbackInfo& info);
  Napi::Value count(const Napi::CallbackInfo& info);
  Napi::Value search(const Napi::CallbackInfo& info);
  Napi::Value search_vector(const Napi::CallbackInfo& info);
  Napi::Value search_text(const Napi::CallbackInfo& info);
  Napi::Value stats(const Napi::CallbackInfo& info);
  Napi::Value ping(const Napi::CallbackInfo& info);
  Napi::Value flush(const Napi::CallbackInfo& info);
  Napi::Value checkpoint(const Napi::CallbackInfo& info);
  Napi::Value snapshot(const Napi::CallbackInfo& info);
  Napi::Value list_snapshots(const Napi::CallbackInfo& info);
  Napi::Value restore(const Napi::CallbackInfo& info);
  Napi::Value compact(const Napi::CallbackInfo& info);
  Napi::Value close(const Napi::CallbackInfo& info);

  /// Runs `call` on the thread pool; the promise resolves to undefined (or rejects with its VesperError).
  Napi::Value run_void(const Napi::CallbackInfo& info, std::function<void(vesper::Collection&)> call);

  /// The collection, or a CLOSED error once close() was called.
  std::shared_ptr<vesper::Collection> open_collection() const;

  // Workers hold their own shared_ptr, so close() never frees a collection under a running search.
  std::shared_ptr<vesper::Collection> collection_;
  std::string dir_;
};

}  // namespace vesper_native
