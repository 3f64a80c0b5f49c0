// CRC-32 (IEEE 802.3, the zlib polynomial) as MCAP uses for chunk, data
// section, summary and attachment checks. On x86-64 CPUs with PCLMULQDQ
// (detected at run time) buffers of 64+ bytes are folded with carry-less
// multiplies, 512 bits at a time with AVX-512 VPCLMULQDQ from 1 KiB up;
// otherwise, and for short tails, slicing-by-8.
#pragma once

#include <cstddef>
#include <cstdint>

namespace argus {

// Continue a CRC: start with crc = 0, feed buffers in order.
uint32_t crc32Update(uint32_t crc, const uint8_t* data, size_t size);

// The same CRC by slicing-by-8 only, and by the 128-bit PCLMULQDQ fold only
// (the fallbacks; tests compare all paths).
uint32_t crc32UpdatePortable(uint32_t crc, const uint8_t* data, size_t size);
uint32_t crc32UpdateClmul128(uint32_t crc, const uint8_t* data, size_t size);

}  // namespace argus
