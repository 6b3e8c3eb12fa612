// Runs engine work on the libuv thread pool and settles a promise on the JS thread.
#pragma once

#include <napi.h>

#include <functional>
#include <new>
#include <optional>
#include <vector>

#include "errors.h"

namespace vesper_native {

/// Converts a finished result into a JS value; runs on the JS thread.
using Finish = std::function<Napi::Value(Napi::Env)>;
/// The off-thread part; returns how to build the JS result.
using Work = std::function<Finish()>;

class TaskWorker : public Napi::AsyncWorker {
 public:
  /// Queues `work`; `keep_alive` holds JS objects (e.g. Float32Arrays read in place) until it settles.
  static Napi::Promise run(Napi::Env env, Work work, std::vector<Napi::ObjectReference> keep_alive = {}) {
    auto* worker = new TaskWorker(env, std::move(work), std::move(keep_alive));
    Napi::Promise promise = worker->deferred_.Promise();
    worker->Queue();
    return promise;
  }

 private:
  TaskWorker(Napi::Env env, Work work, std::vector<Napi::ObjectReference> keep_alive)
      : Napi::AsyncWorker(env, "vesper"), deferred_(Napi::Promise::Deferred::New(env)), work_(std::move(work)),
        keep_alive_(std::move(keep_alive)) {}

  void Execute() override {
    try {
      finish_ = work_();
    } catch (const vesper::Error& e) {
      error_ = capture(e);
    } catch (const std::bad_alloc&) {
      error_ = ErrorInfo{vesper::ErrorCode::kInternal, "binding", "out of memory"};
    } catch (const std::exception& e) {
      error_ = ErrorInfo{vesper::ErrorCode::kInternal, "binding", e.what()};
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    if (error_) {
      deferred_.Reject(make_error(env, *error_));
      return;
    }
    try {
      deferred_.Resolve(finish_(env));
    } catch (const Napi::Error& e) {
      deferred_.Reject(e.Value());
    }
  }

  Napi::Promise::Deferred deferred_;
  Work work_;
  std::vector<Napi::ObjectReference> keep_alive_;
  Finish finish_;
  std::optional<ErrorInfo> error_;
};

}  // namespace vesper_native
