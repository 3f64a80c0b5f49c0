// CRC-32 (IEEE 802.3, the zlib polynomial) as MCAP uses for chunk, data
// section, summary and attachment checks. Slicing-by-8 for speed.
#pragma once

#include <cstddef>
#include <cstdint>

namespace argus {

// Continue a CRC: start with crc = 0, feed buffers in order.
uint32_t crc32Update(uint32_t crc, const uint8_t* data, size_t size);

}  // namespace argus
