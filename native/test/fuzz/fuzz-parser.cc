// libFuzzer entry point over the whole core pipeline (reader, decoders,
// flattening, CSV). Build with clang -fsanitize=fuzzer,address,undefined, or
// with sanitize-main.cc as a plain driver under g++ (see run-sanitized.sh).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/recording-parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  argus::ParseOptions opts;
  opts.chunkBytes = 4096;
  opts.arrayExpandLimit = 4;
  // Half the inputs take the parallel row path (batches, helper threads).
  opts.threads = size > 1 && (data[1] & 1) ? 2 : 1;
  argus::RecordingParser parser(opts);
  // Feed in uneven pieces so every NeedMore path is taken. Each piece is its
  // own heap copy, freed after feed(): the parser reads pieces in place, and
  // a read after feed() returned is then a use-after-free ASan reports.
  size_t step = size > 0 ? 1 + (data[0] % 61) : 1;
  argus::Status st;
  for (size_t p = 0; p < size && st.ok(); p += step) {
    size_t n = size - p < step ? size - p : step;
    std::vector<uint8_t> piece(data + p, data + p + n);
    st = parser.feed(piece.data(), n);
    parser.chunks().clear();
  }
  if (st.ok()) parser.finish();
  (void)parser.summary();
  return 0;
}
