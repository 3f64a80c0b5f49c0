// Parses MCAP files on 1 and on 3 threads, fed in uneven blocks that are
// overwritten after each feed, and checks that every topic's CSV and every
// count and problem agree. Built with ThreadSanitizer over the core's
// sources (see run-core-check.sh thread-check), so a data race between the
// reading thread and the row-writing pool is reported even when the output
// happens to agree.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "core/recording-parser.h"

namespace {

struct Result {
  std::map<std::string, std::string> csv;  // topic -> chunks in order
  std::string facts;                       // counts and problems, in order
};

Result parse(const std::vector<uint8_t>& bytes, uint32_t threads) {
  argus::ParseOptions o;
  o.threads = threads;
  o.chunkBytes = 64 << 10;
  argus::RecordingParser p(o);
  Result r;
  auto take = [&] {
    for (auto& c : p.chunks()) r.csv[c.topic] += c.csv;
    p.chunks().clear();
  };
  std::vector<uint8_t> piece;
  size_t step = 65536 + 13;
  for (size_t at = 0; at < bytes.size(); at += step) {
    size_t n = bytes.size() - at < step ? bytes.size() - at : step;
    piece.assign(bytes.begin() + static_cast<std::ptrdiff_t>(at), bytes.begin() + static_cast<std::ptrdiff_t>(at + n));
    p.feed(piece.data(), n);
    std::fill(piece.begin(), piece.end(), 0xA5);  // lent bytes die here
    take();
  }
  p.finish();
  take();
  argus::RecordingSummary s = p.summary();
  for (const auto& t : s.topics) {
    r.facts += t.topic + " " + std::to_string(t.messageCount) + " " + std::to_string(t.rows) + " " +
               std::to_string(t.decodeErrors) + "\n";
  }
  for (const auto& pr : s.problems) r.facts += pr.code + " " + pr.message + "\n";
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  int bad = 0;
  size_t rows = 0;
  for (int i = 1; i < argc; ++i) {
    std::ifstream f(argv[i], std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    Result one = parse(bytes, 1), three = parse(bytes, 3);
    if (one.csv != three.csv || one.facts != three.facts) {
      std::printf("MISMATCH %s\n", argv[i]);
      ++bad;
    }
    for (const auto& [topic, csv] : one.csv) {
      for (char c : csv) rows += c == '\n';
    }
  }
  std::printf("%d files, %zu CSV lines, %d mismatches between 1 and 3 threads\n", argc - 1, rows, bad);
  return bad == 0 ? 0 : 1;
}
