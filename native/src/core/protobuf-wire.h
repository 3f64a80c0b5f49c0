// Protobuf wire format reader (protobuf.dev "Encoding"), shared by the
// descriptor parser and the message decoder. Bounds-checked; groups skipped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace argus::pb {

inline constexpr int kMaxDepth = 64;

enum Wire { kVarint = 0, kFixed64 = 1, kLen = 2, kStartGroup = 3, kEndGroup = 4, kFixed32 = 5 };

// One field occurrence on the wire.
struct Entry {
  uint32_t number = 0;
  int wire = 0;
  uint64_t num = 0;        // varint / fixed value
  std::string_view bytes;  // length-delimited payload
};

class WireReader {
 public:
  explicit WireReader(std::string_view d) : d_(d) {}
  size_t pos() const { return p_; }
  bool done() const { return p_ >= d_.size(); }

  bool varint(uint64_t& out) {
    out = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (p_ >= d_.size()) return false;
      uint8_t b = static_cast<uint8_t>(d_[p_++]);
      if (shift < 64) out |= static_cast<uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  }
  bool fixed(size_t n, uint64_t& out) {
    if (d_.size() - p_ < n) return false;
    out = 0;
    for (size_t k = n; k-- > 0;) out = (out << 8) | static_cast<uint8_t>(d_[p_ + k]);
    p_ += n;
    return true;
  }
  // Reads the next field; groups are skipped whole (deprecated, not decoded).
  bool next(Entry& e, int depth = 0) {
    uint64_t tag;
    if (!varint(tag)) return false;
    e.number = static_cast<uint32_t>(tag >> 3);
    e.wire = static_cast<int>(tag & 7);
    e.bytes = {};
    e.num = 0;
    switch (e.wire) {
      case kVarint: return varint(e.num);
      case kFixed64: return fixed(8, e.num);
      case kFixed32: return fixed(4, e.num);
      case kLen: {
        uint64_t n;
        if (!varint(n) || n > d_.size() - p_) return false;
        e.bytes = d_.substr(p_, static_cast<size_t>(n));
        p_ += static_cast<size_t>(n);
        return true;
      }
      case kStartGroup: {
        if (depth > kMaxDepth) return false;
        Entry inner;
        for (;;) {
          if (!next(inner, depth + 1)) return false;
          if (inner.wire == kEndGroup) return inner.number == e.number;
        }
      }
      case kEndGroup: return true;
      default: return false;
    }
  }

 private:
  std::string_view d_;
  size_t p_ = 0;
};

}  // namespace argus::pb
