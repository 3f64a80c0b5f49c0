// Times the core pipeline on a file without Node:
//   core-bench <file.mcap> [repeat] [scan|decode|csv|all]
// scan = raw record iteration with CRC checks (what RecordReader.scan does).
#include <chrono>
#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/message-decoder.h"
#include "core/recording-parser.h"
#include "core/stream-reader.h"

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  std::ifstream f(argv[1], std::ios::binary | std::ios::ate);
  std::vector<uint8_t> bytes(static_cast<size_t>(f.tellg()));
  f.seekg(0);
  f.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  int repeat = argc > 2 ? std::atoi(argv[2]) : 1;
  std::string mode = argc > 3 ? argv[3] : "all";
  for (int r = 0; r < repeat && (mode == "scan" || mode == "scan-nocrc" || mode == "all"); ++r) {
    auto t0 = std::chrono::steady_clock::now();
    argus::mcap::ReaderOptions ro;
    ro.checkCrc = mode != "scan-nocrc";
    argus::mcap::StreamReader reader(ro);
    argus::mcap::Record rec;
    size_t n = 0;
    for (size_t off = 0; off < bytes.size(); off += 4 << 20) {
      reader.borrow(bytes.data() + off, bytes.size() - off < (4u << 20) ? bytes.size() - off : (4u << 20));
      while (reader.next(rec) == argus::mcap::ReadResult::Record) ++n;
      reader.release();
    }
    reader.finish();
    while (reader.next(rec) == argus::mcap::ReadResult::Record) ++n;
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::printf("scan: %.1f ms (%.0f MB/s), %zu records, %zu problems\n", ms, bytes.size() / ms / 1e3, n,
                reader.problems().size());
  }
  // Decode only (records + message decoding, no rows/CSV): the number to put
  // next to @mcap/core + rosmsg2-serialization, which also only decode.
  for (int r = 0; r < repeat && (mode == "decode" || mode == "all"); ++r) {
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
  for (int r = 0; r < repeat && (mode == "csv" || mode == "keep" || mode == "hash" || mode == "all"); ++r) {
    timespec ts0;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts0);
    double mainCpu0 = ts0.tv_sec * 1e3 + ts0.tv_nsec / 1e6;
    auto t0 = std::chrono::steady_clock::now();
    argus::ParseOptions po;
    if (const char* th = std::getenv("ARGUS_THREADS")) po.threads = static_cast<uint32_t>(std::atoi(th));
    argus::RecordingParser p(po);
    size_t csv = 0;
    std::vector<argus::CsvChunk> kept;  // "keep": hold chunks like JS does until GC
    // FNV-1a per topic over its chunks in order (topics may interleave
    // differently with threads), then over the topics by name.
    std::map<std::string, uint64_t> hashes;
    auto fnv = [](uint64_t& h, const std::string& x) { for (unsigned char ch : x) h = (h ^ ch) * 1099511628211ull; };
    auto mixChunk = [&](const argus::CsvChunk& c) {
      auto it = hashes.emplace(c.topic, 1469598103934665603ull).first;
      fnv(it->second, c.csv);
    };
    for (size_t off = 0; off < bytes.size(); off += 4 << 20) {
      size_t n = bytes.size() - off < (4u << 20) ? bytes.size() - off : (4u << 20);
      p.feed(bytes.data() + off, n);
      for (auto& c : p.chunks()) {
        csv += c.csv.size();
        if (mode == "hash") mixChunk(c);
        if (mode == "keep") kept.push_back(std::move(c));
        else argus::ChunkBuffers::give(std::move(c.csv));  // as the Node binding does once JS lets go
      }
      p.chunks().clear();
    }
    p.finish();
    for (auto& c : p.chunks()) {
      csv += c.csv.size();
      if (mode == "hash") mixChunk(c);
    }
    if (mode == "hash") {
      uint64_t hash = 1469598103934665603ull;
      for (const auto& [topic, h] : hashes) {
        fnv(hash, topic);
        fnv(hash, std::to_string(h));
      }
      std::printf("csv hash %016llx\n", static_cast<unsigned long long>(hash));
    }
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    double mainCpu = ts.tv_sec * 1e3 + ts.tv_nsec / 1e6 - mainCpu0;
    std::printf("decode+flatten+csv: %.1f ms (%.0f MB/s), %zu MB csv; reading thread CPU %.1f ms\n", ms,
                bytes.size() / ms / 1e3, csv >> 20, mainCpu);
  }
  return 0;
}
