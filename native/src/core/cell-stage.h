// The cells of one CSV row, staged in a small local buffer and appended to
// the row a few hundred bytes at a time: an append per cell (an out-of-line
// call and a small memcpy each) cost as much as formatting several cells.
// It keeps the row's column position, as Layout's RowCursor does: cell(col)
// writes the commas up to `col`, so skipped columns stay empty.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "csv-writer.h"

namespace argus {

class CellStage {
 public:
  explicit CellStage(std::string& row) : row_(row) {}
  CellStage(const CellStage&) = delete;
  CellStage& operator=(const CellStage&) = delete;
  ~CellStage() { flush(); }

  // Moves to column `col`.
  void cell(uint32_t col) {
    uint32_t commas = col - next_ + 1;
    if (commas > kCap / 4) {
      flush();
      row_.append(commas, ',');
    } else {
      char* p = room(commas);
      for (uint32_t k = 0; k < commas; ++k) p[k] = ',';  // mostly one: no memset call
      n_ += commas;
    }
    next_ = col + 1;
  }
  // `count` cells from column `col` on at once: `text` holds their texts
  // with the count - 1 commas between them.
  void cells(uint32_t col, uint32_t count, std::string_view text) {
    cell(col);
    put(text);
    next_ = col + count;
  }
  // Room for `n` (at most kCap / 2) more bytes; say how many were written with used().
  char* room(size_t n) {
    if (n_ + n > kCap) flush();
    return buf_ + n_;
  }
  void used(const char* end) { n_ = static_cast<size_t>(end - buf_); }
  // Text as it is.
  void put(std::string_view s) {
    if (s.empty()) return;  // an empty view may have no data pointer: memcpy must not see it
    if (s.size() > kCap / 2) {
      flush();
      row_.append(s);
      return;
    }
    char* p = room(s.size());
    std::memcpy(p, s.data(), s.size());
    n_ += s.size();
  }
  template <typename T>
  void integer(T x) {
    char* p = room(24);
    used(std::to_chars(p, p + 24, x).ptr);
  }
  // A text cell's content, quoted as RFC 4180 asks when it must be.
  void field(std::string_view s) {
    if (csvPlain(s)) {
      put(s);
    } else {
      flush();
      appendCsvField(row_, s);
    }
  }
  // The row itself, everything staged so far in it, for writers that append
  // to a std::string.
  std::string& row() {
    flush();
    return row_;
  }
  // Empty cells for the columns after the last one written, of `columns`.
  void finish(uint32_t columns) {
    flush();
    if (next_ < columns) row_.append(columns - next_, ',');
    next_ = columns;
  }
  void flush() {
    row_.append(buf_, n_);
    n_ = 0;
  }

  // A place in the row to come back to (what was written after it dropped).
  struct Mark {
    size_t at;
    uint32_t next;
  };
  Mark mark() const { return {row_.size() + n_, next_}; }
  void rewind(Mark m) {
    if (m.at >= row_.size()) {
      n_ = m.at - row_.size();
    } else {
      n_ = 0;
      row_.resize(m.at);
    }
    next_ = m.next;
  }

  static constexpr size_t kCap = 512;

 private:
  std::string& row_;
  char buf_[kCap];
  size_t n_ = 0;
  uint32_t next_ = 0;
};

}  // namespace argus
