// Engine errors: a stable numeric code, a component name and a message that says what and where.
#pragma once

#include <stdexcept>
#include <string>

namespace vesper {

/// Stable error codes; the Node binding exposes them as `VesperError.code` / `codeName`.
enum class ErrorCode : int {
  kInvalidArgument = 1,
  kNotFound = 2,
  kIo = 3,
  kCorruption = 4,
  kConflict = 5,
  kClosed = 6,
  kUnsupported = 7,
  kLocked = 8,
  kInternal = 9,
};

/// "INVALID_ARGUMENT", "NOT_FOUND", … (never null).
const char* error_code_name(ErrorCode code) noexcept;

/// The one exception type the engine throws. The binding converts it to a JS `VesperError`.
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string component, const std::string& message)
      : std::runtime_error(message), code_(code), component_(std::move(component)) {}

  ErrorCode code() const noexcept { return code_; }
  /// The engine part that raised it: "filter", "json", "bm25", "hnsw", "collection", "wal", …
  const std::string& component() const noexcept { return component_; }

 private:
  ErrorCode code_;
  std::string component_;
};

/// Shorthand for the most common error.
[[noreturn]] inline void throw_invalid(const std::string& component, const std::string& message) {
  throw Error(ErrorCode::kInvalidArgument, component, message);
}

}  // namespace vesper
