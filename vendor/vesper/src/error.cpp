#include "vesper/error.h"

namespace vesper {

const char* error_code_name(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "INVALID_ARGUMENT";
    case ErrorCode::kNotFound: return "NOT_FOUND";
    case ErrorCode::kIo: return "IO";
    case ErrorCode::kCorruption: return "CORRUPTION";
    case ErrorCode::kConflict: return "CONFLICT";
    case ErrorCode::kClosed: return "CLOSED";
    case ErrorCode::kUnsupported: return "UNSUPPORTED";
    case ErrorCode::kLocked: return "LOCKED";
    case ErrorCode::kInternal: return "INTERNAL";
  }
  return "INTERNAL";
}

}  // namespace vesper
