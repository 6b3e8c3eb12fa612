// Module entry: openCollection(dir, options), setErrorClass(VesperError), version and error codes.
#include <napi.h>

#include <memory>
#include <string>
#include <vector>

#include "vesper/analyzer.h"

#include "collection_handle.h"
#include "convert.h"
#include "errors.h"
#include "task_worker.h"

namespace vesper_native {
namespace {

Napi::Value set_error_class(const Napi::CallbackInfo& info) {
  if (!info[0].IsFunction()) throw Napi::TypeError::New(info.Env(), "setErrorClass expects a constructor");
  info.Env().GetInstanceData<AddonData>()->error_class = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

Napi::Value open_collection(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  try {
    if (!info[0].IsString()) vesper::throw_invalid("binding", "dir: expected a directory path string");
    std::string dir = info[0].As<Napi::String>().Utf8Value();
    if (dir.empty()) vesper::throw_invalid("binding", "dir: must not be empty");
    auto options = std::make_shared<vesper::CollectionOptions>(to_options(info[1]));
    vesper::validate_options(*options);
    auto durability = std::make_shared<vesper::DurabilityOptions>(to_durability(info[1]));
    return TaskWorker::run(env, [dir, options, durability]() -> Finish {
      // Opening recovers from disk (checkpoint + WAL): off the JS thread like every other I/O.
      auto collection = vesper::Collection::open(dir, *options, *durability);
      return [collection, dir](Napi::Env env) -> Napi::Value { return CollectionHandle::wrap(env, collection, dir); };
    });
  } catch (const vesper::Error& e) {
    return rejected(env, capture(e));
  }
}

// analyze(text, analyzer?) -> string[]: the terms the engine indexes (synchronous: it is pure CPU work
// on a short string, cheaper than a trip through the thread pool).
Napi::Value analyze_text(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  try {
    if (!info[0].IsString()) vesper::throw_invalid("binding", "analyze: text must be a string");
    vesper::AnalyzerKind kind = vesper::AnalyzerKind::kDefault;
    if (info.Length() > 1 && !info[1].IsUndefined()) {
      if (!info[1].IsString()) vesper::throw_invalid("binding", "analyze: analyzer must be \"default\", \"code\" or \"english\"");
      kind = vesper::parse_analyzer(info[1].As<Napi::String>().Utf8Value());
    }
    const std::vector<std::string> terms = vesper::analyze(kind, info[0].As<Napi::String>().Utf8Value());
    Napi::Array out = Napi::Array::New(env, terms.size());
    for (std::uint32_t i = 0; i < terms.size(); ++i) out.Set(i, Napi::String::New(env, terms[i]));
    return out;
  } catch (const vesper::Error& e) {
    Napi::Error(env, make_error(env, capture(e))).ThrowAsJavaScriptException();
    return env.Undefined();
  }
}

}  // namespace
}  // namespace vesper_native

// NODE_API_MODULE needs an unqualified function name.
static Napi::Object InitVesper(Napi::Env env, Napi::Object exports) {
  using namespace vesper_native;
  env.SetInstanceData(new AddonData());
  exports.Set("CollectionHandle", CollectionHandle::define(env));
  exports.Set("openCollection", Napi::Function::New(env, open_collection, "openCollection"));
  exports.Set("analyze", Napi::Function::New(env, analyze_text, "analyze"));
  exports.Set("setErrorClass", Napi::Function::New(env, set_error_class, "setErrorClass"));
  exports.Set("version", Napi::String::New(env, "0.1.0"));
  return exports;
}

NODE_API_MODULE(vesper, InitVesper)
