// Status: how the core reports failure without exceptions.
// Every failure carries a stable code, a human message and the byte offset in
// the input where it was detected (file offset, or offset inside a message).
#pragma once

#include <cstdint>
#include <string>
#include <utility>

namespace argus {

struct Status {
  std::string code;     // empty == OK; otherwise e.g. "BAD_MAGIC", "TRUNCATED"
  std::string message;  // human readable, names the record involved
  uint64_t offset = 0;  // byte offset where the problem was detected

  bool ok() const { return code.empty(); }
  static Status Ok() { return Status{}; }
  static Status Error(std::string code, std::string message, uint64_t offset) {
    return Status{std::move(code), std::move(message), offset};
  }
};

// A non-fatal finding: parsing continues after it (spec: readers should
// skip what they do not understand). `topic` is empty when not topic bound.
struct Problem {
  std::string code;
  std::string message;
  uint64_t offset = 0;
  std::string topic;
};

}  // namespace argus
