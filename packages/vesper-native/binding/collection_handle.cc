#include "collection_handle.h"

#include <functional>

#include "convert.h"
#include "errors.h"
#include "task_worker.h"
#include "vesper/error.h"

namespace vesper_native {
namespace {

/// Runs `body` (which converts arguments and queues a worker); conversion errors become rejections.
template <typename Body>
Napi::Value guarded(Napi::Env env, Body&& body) {
  try {
    return body();
  } catch (const vesper::Error& e) {
    return rejected(env, capture(e));
  }
}

}  // namespace

Napi::Function CollectionHandle::define(Napi::Env env) {
  Napi::Function cls = DefineClass(env, "CollectionHandle",
                                   {
                                       InstanceMethod<&CollectionHandle::upsert>("upsert"),
                                       InstanceMethod<&CollectionHandle::remove>("remove"),
                                       InstanceMethod<&CollectionHandle::get>("get"),
                                       InstanceMethod<&CollectionHandle::count>("count"),
                                       InstanceMethod<&CollectionHandle::search>("search"),
                                       InstanceMethod<&CollectionHandle::search_vector>("searchVector"),
                                       InstanceMethod<&CollectionHandle::search_text>("searchText"),
                                       InstanceMethod<&CollectionHandle::stats>("stats"),
                                       InstanceMethod<&CollectionHandle::ping>("ping"),
                                       InstanceMethod<&CollectionHandle::flush>("flush"),
                                       InstanceMethod<&CollectionHandle::checkpoint>("checkpoint"),
                                       InstanceMethod<&CollectionHandle::snapshot>("snapshot"),
                                       InstanceMethod<&CollectionHandle::list_snapshots>("listSnapshots"),
                                       InstanceMethod<&CollectionHandle::restore>("restore"),
                                       InstanceMethod<&CollectionHandle::compact>("compact"),
                                       InstanceMethod<&CollectionHandle::close>("close"),
                                   });
  env.GetInstanceData<AddonData>()->handle_class = Napi::Persistent(cls);
  return cls;
}

Napi::Object CollectionHandle::wrap(Napi::Env env, std::shared_ptr<vesper::Collection> collection, std::string dir) {
  Napi::Object handle = env.GetInstanceData<AddonData>()->handle_class.New({});
  CollectionHandle* self = Unwrap(handle);
  self->collection_ = std::move(collection);
  self->dir_ = std::move(dir);
  return handle;
}

CollectionHandle::CollectionHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<CollectionHandle>(info) {}

std::shared_ptr<vesper::Collection> CollectionHandle::open_collection() const {
  if (!collection_) throw vesper::Error(vesper::ErrorCode::kClosed, "collection", "collection at '" + dir_ + "' is closed");
  return collection_;
}

Napi::Value CollectionHandle::upsert(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    auto collection = open_collection();
    std::vector<Napi::ObjectReference> keep_alive;
    auto docs = std::make_shared<std::vector<vesper::DocumentInput>>(to_documents(info[0], keep_alive));
    return TaskWorker::run(
        info.Env(),
        [collection, docs]() -> Finish {
          vesper::WriteResult r = collection->upsert(std::move(*docs));
          return [r](Napi::Env env) -> Napi::Value {
            auto o = Napi::Object::New(env);
            o.Set("upserted", Napi::Number::New(env, static_cast<double>(r.upserted)));
            return o;
          };
        },
        std::move(keep_alive));
  });
}

Napi::Value CollectionHandle::remove(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    auto collection = open_collection();
    auto refs = std::make_shared<std::vector<vesper::DocRef>>(to_refs(info[0], "ids"));
    return TaskWorker::run(info.Env(), [collection, refs]() -> Finish {
      vesper::WriteResult r = collection->remove(std::move(*refs));
      return [r](Napi::Env env) -> Napi::Value { return Napi::Number::New(env, static_cast<double>(r.removed)); };
    });
  });
}

Napi::Value CollectionHandle::get(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    auto collection = open_collection();
    vesper::DocRef ref = to_ref(info[0], "id");
    return TaskWorker::run(info.Env(), [collection, ref]() -> Finish {
      auto doc = std::make_shared<std::optional<vesper::StoredDocument>>(collection->get(ref));
      return [doc](Napi::Env env) -> Napi::Value { return *doc ? from_document(env, **doc) : env.Undefined(); };
    });
  });
}

Napi::Value CollectionHandle::count(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    auto collection = open_collection();
    return TaskWorker::run(info.Env(), [collection]() -> Finish {
      std::size_t n = collection->count();
      return [n](Napi::Env env) -> Napi::Value { return Napi::Number::New(env, static_cast<double>(n)); };
    });
  });
}

Napi::Value CollectionHandle::search(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    auto collection = open_collection();
    std::vector<Napi::ObjectReference> keep_alive;
    Napi::Object q = options_object(info[0], "query");
    struct Args {
      vesper::HybridQuery query;
      std::vector<float> owned;
      vesper::HybridSearchConfig config;
    };
    auto args = std::make_shared<Args>();
    args->query.text = optional_string(q, "text", "query");
    if (Napi::Value v = q.Get("vector"); !v.IsUndefined() && !v.IsNull()) {
      args->query.vector = to_vector(v, "query.vector", args->owned, keep_alive);
    }
    args->query.filter = optional_string(q, "filter", "query");
    Napi::Object c = options_object(info[1], "config");
    vesper::HybridSearchConfig& config = args->config;
    if (auto k = optional_count(c, "k", "config")) config.k = *k;
    if (auto s = optional_string(c, "strategy", "config")) config.strategy = vesper::parse_strategy(*s);
    if (auto f = optional_string(c, "fusion", "config")) config.fusion.algorithm = vesper::parse_fusion(*f);
    if (auto r = optional_number(c, "rrfK", "config")) config.fusion.rrf_k = *r;
    if (auto w = optional_number(c, "denseWeight", "config")) config.fusion.dense_weight = *w;
    if (auto w = optional_number(c, "sparseWeight", "config")) config.fusion.sparse_weight = *w;
    if (auto r = optional_count(c, "rerankFactor", "config")) config.rerank_factor = *r;
    if (auto ef = optional_count(c, "efSearch", "config")) config.ef_search = *ef;
    if (auto m = optional_bool(c, "includeMetadata", "config")) config.include_metadata = *m;
    return TaskWorker::run(
        info.Env(),
        [collection, args]() -> Finish {
          auto hits = std::make_shared<std::vector<vesper::SearchHit>>(collection->search(args->query, args->config));
          return [hits](Napi::Env env) { return from_hits(env, *hits); };
        },
        std::move(keep_alive));
  });
}

Napi::Value CollectionHandle::search_vector(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    auto collection = open_collection();
    std::vector<Napi::ObjectReference> keep_alive;
    struct Args {
      std::span<const float> vector;
      std::vector<float> owned;
      vesper::VectorSearchOptions options;
    };
    auto args = std::make_shared<Args>();
    args->vector = to_vector(info[0], "vector", args->owned, keep_alive);
    Napi::Object o = options_object(info[1], "options");
    if (auto k = optional_count(o, "k", "options")) args->options.k = *k;
    if (auto ef = optional_count(o, "efSearch", "options")) args->options.ef_search = *ef;
    args->options.filter = optional_string(o, "filter", "options");
    if (auto m = optional_bool(o, "includeMetadata", "options")) args->options.include_metadata = *m;
    return TaskWorker::run(
        info.Env(),
        [collection, args]() -> Finish {
          auto hits = std::make_shared<std::vector<vesper::SearchHit>>(collection->search_vector(args->vector, args->options));
          return [hits](Napi::Env env) { return from_hits(env, *hits); };
        },
        std::move(keep_alive));
  });
}

Napi::Value CollectionHandle::search_text(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    auto collection = open_collection();
    struct Args {
      std::string text;
      vesper::TextSearchOptions options;
    };
    auto args = std::make_shared<Args>();
    if (!info[0].IsString()) vesper::throw_invalid("binding", "text: expected a string");
    args->text = info[0].As<Napi::String>().Utf8Value();
    Napi::Object o = options_object(info[1], "options");
    if (auto k = optional_count(o, "k", "options")) args->options.k = *k;
    args->options.filter = optional_string(o, "filter", "options");
    if (auto m = optional_bool(o, "includeMetadata", "options")) args->options.include_metadata = *m;
    return TaskWorker::run(info.Env(), [collection, args]() -> Finish {
      auto hits = std::make_shared<std::vector<vesper::SearchHit>>(collection->search_text(args->text, args->options));
      return [hits](Napi::Env env) { return from_hits(env, *hits); };
    });
  });
}

Napi::Value CollectionHandle::stats(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    auto collection = open_collection();
    return TaskWorker::run(info.Env(), [collection]() -> Finish {
      vesper::CollectionStats s = collection->stats();
      return [s](Napi::Env env) { return from_stats(env, s); };
    });
  });
}

Napi::Value CollectionHandle::ping(const Napi::CallbackInfo& info) {
  // An empty round trip through the thread pool: measures the binding's own overhead.
  return TaskWorker::run(info.Env(), []() -> Finish { return [](Napi::Env env) { return env.Undefined(); }; });
}

Napi::Value CollectionHandle::run_void(const Napi::CallbackInfo& info, std::function<void(vesper::Collection&)> call) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    auto collection = open_collection();
    return TaskWorker::run(info.Env(), [collection, call = std::move(call)]() -> Finish {
      call(*collection);
      return [](Napi::Env env) { return env.Undefined(); };
    });
  });
}

namespace {

std::string label_argument(const Napi::CallbackInfo& info) {
  if (!info[0].IsString()) vesper::throw_invalid("binding", "label: expected a string");
  return info[0].As<Napi::String>().Utf8Value();
}

}  // namespace

Napi::Value CollectionHandle::flush(const Napi::CallbackInfo& info) {
  return run_void(info, [](vesper::Collection& c) { c.flush(); });
}

Napi::Value CollectionHandle::checkpoint(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    auto collection = open_collection();
    return TaskWorker::run(info.Env(), [collection]() -> Finish {
      std::uint64_t lsn = collection->checkpoint();
      return [lsn](Napi::Env env) -> Napi::Value { return Napi::Number::New(env, static_cast<double>(lsn)); };
    });
  });
}

Napi::Value CollectionHandle::snapshot(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    std::string label = label_argument(info);
    return run_void(info, [label](vesper::Collection& c) { c.snapshot(label); });
  });
}

Napi::Value CollectionHandle::list_snapshots(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    auto collection = open_collection();
    return TaskWorker::run(info.Env(), [collection]() -> Finish {
      auto list = std::make_shared<std::vector<vesper::SnapshotInfo>>(collection->list_snapshots());
      return [list](Napi::Env env) -> Napi::Value {
        auto array = Napi::Array::New(env, list->size());
        for (std::size_t i = 0; i < list->size(); ++i) {
          auto o = Napi::Object::New(env);
          o.Set("label", Napi::String::New(env, (*list)[i].label));
          o.Set("lsn", Napi::Number::New(env, static_cast<double>((*list)[i].lsn)));
          array.Set(static_cast<std::uint32_t>(i), o);
        }
        return array;
      };
    });
  });
}

Napi::Value CollectionHandle::restore(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    std::string label = label_argument(info);
    return run_void(info, [label](vesper::Collection& c) { c.restore(label); });
  });
}

Napi::Value CollectionHandle::compact(const Napi::CallbackInfo& info) {
  return run_void(info, [](vesper::Collection& c) { c.compact(); });
}

Napi::Value CollectionHandle::close(const Napi::CallbackInfo& info) {
  // Later calls on this handle reject with CLOSED at once; the engine flushes and checkpoints off-thread.
  // Work already queued keeps its own reference and is rejected with CLOSED by the engine if it runs later.
  auto collection = std::move(collection_);
  collection_.reset();
  if (!collection) return TaskWorker::run(info.Env(), []() -> Finish { return [](Napi::Env env) { return env.Undefined(); }; });
  return TaskWorker::run(info.Env(), [collection]() -> Finish {
    collection->close();
    return [](Napi::Env env) { return env.Undefined(); };
  });
}

}  // namespace vesper_native
