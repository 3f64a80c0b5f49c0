#include "csv-writer.h"

namespace argus {

void appendCsvField(std::string& out, std::string_view f) {
  // RFC 4180 section 2: fields with comma, quote, CR or LF are quoted and
  // quotes inside are doubled.
  bool plain = true;
  for (char c : f) {
    if (c == ',' || c == '"' || c == '\r' || c == '\n') {
      plain = false;
      break;
    }
  }
  if (plain) {
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

void CsvWriter::addRow(std::string_view row, std::vector<CsvChunk>& out) {
  if (rows_ > 0 && buf_.size() + row.size() > chunkBytes_) flush(out);
  if (rows_ == 0) {
    buf_.reserve(chunkBytes_ < (64u << 20) ? chunkBytes_ + 4096 : 0);
    buf_ = header_;
  }
  buf_.append(row);
  ++rows_;
}

std::string& CsvWriter::beginRow() {
  if (rows_ == 0) {
    buf_.reserve(chunkBytes_ < (64u << 20) ? chunkBytes_ + 4096 : 0);
    buf_ = header_;
  }
  rowStart_ = buf_.size();
  return buf_;
}

void CsvWriter::endRow(std::vector<CsvChunk>& out) {
  if (rows_ > 0 && buf_.size() > chunkBytes_) {
    // The row does not fit: it opens the next chunk (as addRow would).
    std::string next;
    next.reserve(chunkBytes_ < (64u << 20) ? chunkBytes_ + 4096 : 0);
    next = header_;
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
  buf_ = std::string();
  rows_ = 0;
}

}  // namespace argus
