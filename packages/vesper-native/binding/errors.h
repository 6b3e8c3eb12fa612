// Engine errors → JS VesperError instances (the class comes from the TypeScript wrapper at load time).
#pragma once

#include <napi.h>

#include <string>

#include "vesper/error.h"

namespace vesper_native {

/// Per-addon-instance state (one per worker thread / environment that loads the addon).
struct AddonData {
  Napi::FunctionReference error_class;   // VesperError, registered by the TypeScript wrapper
  Napi::FunctionReference handle_class;  // CollectionHandle
};

/// A captured engine failure, safe to carry from a worker thread to the JS thread.
struct ErrorInfo {
  vesper::ErrorCode code = vesper::ErrorCode::kInternal;
  std::string component = "binding";
  std::string message;
};

ErrorInfo capture(const vesper::Error& e);

/// Builds a VesperError (or a plain Error with the same fields before registration).
Napi::Value make_error(Napi::Env env, const ErrorInfo& info);

/// A promise rejected with a VesperError.
Napi::Promise rejected(Napi::Env env, const ErrorInfo& info);

}  // namespace vesper_native
