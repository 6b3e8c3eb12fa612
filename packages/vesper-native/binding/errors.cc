#include "errors.h"

namespace vesper_native {

ErrorInfo capture(const vesper::Error& e) { return ErrorInfo{e.code(), e.component(), e.what()}; }

Napi::Value make_error(Napi::Env env, const ErrorInfo& info) {
  const char* name = vesper::error_code_name(info.code);
  auto* data = env.GetInstanceData<AddonData>();
  Napi::Object error;
  if (data != nullptr && !data->error_class.IsEmpty()) {
    error = data->error_class.New({Napi::String::New(env, info.message), Napi::Number::New(env, static_cast<int>(info.code)),
                                   Napi::String::New(env, name), Napi::String::New(env, info.component)});
  } else {
    error = Napi::Error::New(env, info.message).Value();
    error.Set("code", Napi::Number::New(env, static_cast<int>(info.code)));
    error.Set("codeName", Napi::String::New(env, name));
    error.Set("component", Napi::String::New(env, info.component));
  }
  return error;
}

Napi::Promise rejected(Napi::Env env, const ErrorInfo& info) {
  auto deferred = Napi::Promise::Deferred::New(env);
  deferred.Reject(make_error(env, info));
  return deferred.Promise();
}

}  // namespace vesper_native
