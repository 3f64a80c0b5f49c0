// Bounds-checked little-endian cursor over a byte span. Every read checks the
// remaining length first; on failure the cursor latches into a failed state
// and returns zeros, so callers check `ok()` once after a batch of reads.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace argus {

class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  explicit ByteReader(std::string_view s)
      : data_(reinterpret_cast<const uint8_t*>(s.data())), size_(s.size()) {}

  bool ok() const { return ok_; }
  size_t pos() const { return pos_; }
  size_t remaining() const { return size_ - pos_; }
  const uint8_t* cursor() const { return data_ + pos_; }

  bool has(uint64_t n) const { return ok_ && n <= size_ - pos_; }

  uint8_t u8() {
    if (!need(1)) return 0;
    return data_[pos_++];
  }
  uint16_t u16() { return static_cast<uint16_t>(le(2)); }
  uint32_t u32() { return static_cast<uint32_t>(le(4)); }
  uint64_t u64() { return le(8); }

  // A view of the next n bytes (empty view and failed state when short).
  std::string_view bytes(uint64_t n) {
    if (!need(n)) return {};
    std::string_view v(reinterpret_cast<const char*>(data_ + pos_), static_cast<size_t>(n));
    pos_ += static_cast<size_t>(n);
    return v;
  }
  // MCAP string / bytes with a uint32 length prefix (spec: "Serialization").
  std::string_view prefixed32() { return bytes(u32()); }
  std::string_view prefixed64() { return bytes(u64()); }
  std::string_view rest() { return bytes(remaining()); }
  void skip(uint64_t n) { bytes(n); }
  void fail() { ok_ = false; }

 private:
  bool need(uint64_t n) {
    if (!ok_ || n > size_ - pos_) {
      ok_ = false;
      return false;
    }
    return true;
  }
  uint64_t le(int n) {
    if (!need(static_cast<uint64_t>(n))) return 0;
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | data_[pos_ + static_cast<size_t>(i)];
    pos_ += static_cast<size_t>(n);
    return v;
  }

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace argus
