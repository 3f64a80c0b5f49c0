// Times the core pipeline on a file without Node: core-bench <file.mcap> [repeat]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <vector>

#include "core/recording-parser.h"

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  std::ifstream f(argv[1], std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  int repeat = argc > 2 ? std::atoi(argv[2]) : 1;
  for (int r = 0; r < repeat; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    argus::RecordingParser p(argus::ParseOptions{});
    size_t csv = 0;
    for (size_t off = 0; off < bytes.size(); off += 4 << 20) {
      size_t n = bytes.size() - off < (4u << 20) ? bytes.size() - off : (4u << 20);
      p.feed(bytes.data() + off, n);
      for (auto& c : p.chunks()) csv += c.csv.size();
      p.chunks().clear();
    }
    p.finish();
    for (auto& c : p.chunks()) csv += c.csv.size();
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%.1f ms, %zu MB csv\n", ms, csv >> 20);
  }
  return 0;
}
