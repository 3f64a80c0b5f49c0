// Driver for fuzz-parser.cc without libFuzzer: for every file given, runs
// the target on the file, on every truncation (all of them up to 64 KiB,
// then a stride) and on seeded random byte flips. Meant for ASan/UBSan.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <random>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  int flipsPerFile = 2000;
  size_t runs = 0;
  for (int i = 1; i < argc; ++i) {
    std::ifstream f(argv[i], std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
    size_t stride = bytes.size() <= 65536 ? 1 : bytes.size() / 4096;
    for (size_t cut = 0; cut < bytes.size(); cut += stride, ++runs) {
      std::vector<uint8_t> part(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut));
      LLVMFuzzerTestOneInput(part.data(), part.size());
    }
    std::mt19937 rng(1234u + static_cast<unsigned>(i));
    for (int k = 0; k < flipsPerFile && !bytes.empty(); ++k, ++runs) {
      std::vector<uint8_t> b = bytes;
      int flips = 1 + static_cast<int>(rng() % 8);
      for (int j = 0; j < flips; ++j) b[rng() % b.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
      LLVMFuzzerTestOneInput(b.data(), b.size());
    }
  }
  std::printf("ok: %zu runs over %d files\n", runs, argc - 1);
  return 0;
}
