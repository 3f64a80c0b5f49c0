// Times the core pipeline on a file without Node: core-bench <file.mcap> [repeat]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "core/message-decoder.h"
#include "core/recording-parser.h"
#include "core/stream-reader.h"

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  std::ifstream f(argv[1], std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  int repeat = argc > 2 ? std::atoi(argv[2]) : 1;
  // Decode only (records + message decoding, no rows/CSV): the number to put
  // next to @mcap/core + rosmsg2-serialization, which also only decode.
  for (int r = 0; r < repeat; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    argus::mcap::StreamReader reader;
    reader.append(bytes.data(), bytes.size());
    reader.finish();
    argus::mcap::Record rec;
    std::string schemaName, schemaEnc, schemaData;
    std::unique_ptr<argus::MessageDecoder> dec;
    argus::ValueTree tree;
    size_t msgs = 0;
    while (reader.next(rec) == argus::mcap::ReadResult::Record) {
      if (rec.opcode == 3) {
        auto& s = std::get<argus::mcap::Schema>(rec.body);
        schemaName = s.name; schemaEnc = s.encoding; schemaData = std::string(s.data);
      } else if (rec.opcode == 4) {
        argus::Status st;
        dec = argus::createDecoder(std::get<argus::mcap::Channel>(rec.body).messageEncoding, schemaName, schemaEnc, schemaData, st);
      } else if (rec.opcode == 5 && dec) {
        uint32_t root;
        dec->decode(std::get<argus::mcap::Message>(rec.body).data, tree, root);
        ++msgs;
      }
    }
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::printf("decode only: %.1f ms, %zu messages\n", ms, msgs);
  }
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
    std::printf("decode+flatten+csv: %.1f ms, %zu MB csv\n", ms, csv >> 20);
  }
  return 0;
}
