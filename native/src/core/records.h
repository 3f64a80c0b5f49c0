// MCAP record types (https://mcap.dev/spec, "Records").
// Byte fields are views into the reader's buffers: valid until the next call
// to StreamReader::next() or append(). Strings are copied (they are short).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "status.h"

namespace argus::mcap {

// Magic: 0x89 'M' 'C' 'A' 'P' '0' '\r' '\n' (spec "Magic").
inline constexpr uint8_t kMagic[8] = {0x89, 'M', 'C', 'A', 'P', 0x30, '\r', '\n'};
inline constexpr size_t kMagicSize = 8;
// opcode (1) + record length (8), spec "Records".
inline constexpr size_t kRecordPrefix = 9;

enum class Opcode : uint8_t {
  Header = 0x01,
  Footer = 0x02,
  Schema = 0x03,
  Channel = 0x04,
  Message = 0x05,
  Chunk = 0x06,
  MessageIndex = 0x07,
  ChunkIndex = 0x08,
  Attachment = 0x09,
  AttachmentIndex = 0x0A,
  Statistics = 0x0B,
  Metadata = 0x0C,
  MetadataIndex = 0x0D,
  SummaryOffset = 0x0E,
  DataEnd = 0x0F,
};

const char* opcodeName(uint8_t opcode);  // "Message", ... or "Unknown"

using KeyValues = std::vector<std::pair<std::string, std::string>>;

struct Header { std::string profile, library; };
struct Footer { uint64_t summaryStart = 0, summaryOffsetStart = 0; uint32_t summaryCrc = 0; };
struct Schema { uint16_t id = 0; std::string name, encoding; std::string_view data; };
struct Channel {
  uint16_t id = 0, schemaId = 0;
  std::string topic, messageEncoding;
  KeyValues metadata;
};
struct Message {
  uint16_t channelId = 0;
  uint32_t sequence = 0;
  uint64_t logTime = 0, publishTime = 0;
  std::string_view data;
};
struct Chunk {
  uint64_t messageStartTime = 0, messageEndTime = 0, uncompressedSize = 0;
  uint32_t uncompressedCrc = 0;
  std::string compression;
  std::string_view records;
};
struct MessageIndex {
  uint16_t channelId = 0;
  std::vector<std::pair<uint64_t, uint64_t>> records;  // (log_time, offset)
};
struct ChunkIndex {
  uint64_t messageStartTime = 0, messageEndTime = 0, chunkStartOffset = 0, chunkLength = 0;
  std::vector<std::pair<uint16_t, uint64_t>> messageIndexOffsets;
  uint64_t messageIndexLength = 0;
  std::string compression;
  uint64_t compressedSize = 0, uncompressedSize = 0;
};
struct Attachment {
  uint64_t logTime = 0, createTime = 0;
  std::string name, mediaType;
  std::string_view data;
  uint32_t crc = 0;
};
struct AttachmentIndex {
  uint64_t offset = 0, length = 0, logTime = 0, createTime = 0, dataSize = 0;
  std::string name, mediaType;
};
struct Statistics {
  uint64_t messageCount = 0;
  uint16_t schemaCount = 0;
  uint32_t channelCount = 0, attachmentCount = 0, metadataCount = 0, chunkCount = 0;
  uint64_t messageStartTime = 0, messageEndTime = 0;
  std::vector<std::pair<uint16_t, uint64_t>> channelMessageCounts;
};
struct Metadata { std::string name; KeyValues metadata; };
struct MetadataIndex { uint64_t offset = 0, length = 0; std::string name; };
struct SummaryOffset { uint8_t groupOpcode = 0; uint64_t groupStart = 0, groupLength = 0; };
struct DataEnd { uint32_t dataSectionCrc = 0; };
struct Unknown { std::string_view data; };

using RecordBody = std::variant<Unknown, Header, Footer, Schema, Channel, Message, Chunk,
                                MessageIndex, ChunkIndex, Attachment, AttachmentIndex, Statistics,
                                Metadata, MetadataIndex, SummaryOffset, DataEnd>;

struct Record {
  uint8_t opcode = 0;
  uint64_t offset = 0;       // file offset of the record, or of its enclosing chunk
  bool inChunk = false;      // true for records read out of a chunk
  uint64_t chunkOffset = 0;  // offset inside the decompressed chunk when inChunk
  RecordBody body;
};

// Parses a record's content (the bytes after opcode and length). Extra bytes
// after the known fields are ignored (spec: fields may be added to records).
// `offset` is only used for error messages.
Status parseRecordBody(uint8_t opcode, std::string_view content, uint64_t offset,
                       RecordBody& out);

}  // namespace argus::mcap
