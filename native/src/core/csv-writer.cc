#include "csv-writer.h"

#include <algorithm>
#include <cstdint>
#include <mutex>

#ifdef __linux__
#include <sys/mman.h>
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  // Linux 5.14
#endif
#endif

namespace argus {
namespace {

struct Spares {
  std::mutex mu;
  std::vector<std::string> buffers;
  size_t bytes = 0;
};

Spares& spares() {
  static Spares* s = new Spares();  // never destroyed: finalizers may run at exit
  return *s;
}

// Chunks larger than this are not pooled (a huge chunkBytes).
constexpr size_t kLargestPooled = 16u << 20;

size_t reserveFor(size_t chunkBytes) { return chunkBytes < kLargestPooled ? chunkBytes + 4096 : 0; }

}  // namespace

std::string ChunkBuffers::take(size_t capacity) {
  if (capacity > 0 && capacity <= kLargestPooled) {
    Spares& sp = spares();
    std::lock_guard<std::mutex> lock(sp.mu);
    for (size_t i = sp.buffers.size(); i-- > 0;) {
      if (sp.buffers[i].capacity() >= capacity) {
        std::string s = std::move(sp.buffers[i]);
        sp.buffers[i] = std::move(sp.buffers.back());
        sp.buffers.pop_back();
        sp.bytes -= s.capacity();
        s.clear();
        return s;
      }
    }
  }
  std::string s;
  s.reserve(capacity);
  return s;
}

void ChunkBuffers::give(std::string&& s) {
  size_t c = s.capacity();
  if (c < 4096 || c > kLargestPooled + 4096) return;
  Spares& sp = spares();
  std::lock_guard<std::mutex> lock(sp.mu);
  if (sp.bytes + c > kKeepBytes) return;  // freed when `s` goes out of scope in the caller
  sp.bytes += c;
  sp.buffers.push_back(std::move(s));
}

void appendCsvField(std::string& out, std::string_view f) {
  // RFC 4180 section 2: fields with comma, quote, CR or LF are quoted and
  // quotes inside are doubled.
  if (csvPlain(f)) {
    out.append(f);
    return;
  }
  out += '"';
  for (char c : f) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void CsvWriter::setColumns(const std::vector<std::string>& columns) {
  header_.clear();
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i) header_ += ',';
    appendCsvField(header_, columns[i]);
  }
  header_ += "\r\n";  // RFC 4180: lines end with CRLF
}

std::string CsvWriter::freshChunk() const {
  std::string s = ChunkBuffers::take(reserveFor(chunkBytes_));
  s = header_;  // keeps the reserved capacity
  return s;
}

void CsvWriter::addRow(std::string_view row, std::vector<CsvChunk>& out) {
  if (rows_ > 0 && buf_.size() + row.size() > chunkBytes_) flush(out);
  if (rows_ == 0) buf_ = freshChunk();
  buf_.append(row);
  ++rows_;
}

std::string& CsvWriter::beginRow() {
  if (rows_ == 0) buf_ = freshChunk();
  if (buf_.data() != mappedBase_ || buf_.size() + kMapAhead / 2 > mapped_) prefault();
  rowStart_ = buf_.size();
  return buf_;
}

// The first write to a fresh page of a chunk buffer is a page fault: about
// 15 µs each on the VMs we measured, 4-5 k of them per 20-minute drive
// (every topic's first chunk buffer is fresh memory). MADV_POPULATE_WRITE
// maps a run of pages in one call for half that per page, so the pages the
// next rows will write are mapped ahead, kMapAhead at a time. Pages already
// mapped (a reused buffer) cost only the walk. Kernels before 5.14 refuse the
// advice; the pages then fault as usual.
void CsvWriter::prefault() {
  if (buf_.data() != mappedBase_) {
    mappedBase_ = buf_.data();
    mapped_ = 0;
  }
  size_t to = std::min(buf_.capacity(), buf_.size() + kMapAhead);
#ifdef __linux__
  constexpr uintptr_t kPage = 4096;
  uintptr_t base = reinterpret_cast<uintptr_t>(buf_.data());
  uintptr_t a = (base + std::max(mapped_, buf_.size()) + kPage - 1) & ~(kPage - 1);
  uintptr_t b = (base + to) & ~(kPage - 1);
  if (b > a) madvise(reinterpret_cast<void*>(a), b - a, MADV_POPULATE_WRITE);
#endif
  mapped_ = to;
}

void CsvWriter::endRow(std::vector<CsvChunk>& out) {
  if (rows_ > 0 && buf_.size() > chunkBytes_) {
    // The row does not fit: it opens the next chunk (as addRow would).
    std::string next = freshChunk();
    next.append(buf_, rowStart_, std::string::npos);
    buf_.resize(rowStart_);
    flush(out);
    buf_ = std::move(next);
  }
  ++rows_;
}

void CsvWriter::flush(std::vector<CsvChunk>& out) {
  if (rows_ == 0) return;
  out.push_back(CsvChunk{topic_, next_++, std::move(buf_), rows_});
  if (sink_ != nullptr) sink_->complete(out.back());
  buf_ = std::string();
  rows_ = 0;
}

}  // namespace argus
