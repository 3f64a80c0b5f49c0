#include "records.h"

#include "byte-reader.h"

namespace argus::mcap {
namespace {

std::string str(ByteReader& r) { return std::string(r.prefixed32()); }

KeyValues stringMap(ByteReader& r) {
  KeyValues out;
  ByteReader m(r.prefixed32());
  if (!r.ok()) return out;
  while (m.ok() && m.remaining() > 0) {
    std::string k(m.prefixed32());
    std::string v(m.prefixed32());
    if (!m.ok()) break;
    out.emplace_back(std::move(k), std::move(v));
  }
  if (!m.ok()) r.fail();
  return out;
}

template <typename K>
std::vector<std::pair<K, uint64_t>> intMap(ByteReader& r) {
  std::vector<std::pair<K, uint64_t>> out;
  ByteReader m(r.prefixed32());
  if (!r.ok()) return out;
  while (m.ok() && m.remaining() > 0) {
    K k = sizeof(K) == 2 ? static_cast<K>(m.u16()) : static_cast<K>(m.u64());
    uint64_t v = m.u64();
    if (!m.ok()) break;
    out.emplace_back(k, v);
  }
  if (!m.ok()) r.fail();
  return out;
}

}  // namespace

const char* opcodeName(uint8_t op) {
  switch (static_cast<Opcode>(op)) {
    case Opcode::Header: return "Header";
    case Opcode::Footer: return "Footer";
    case Opcode::Schema: return "Schema";
    case Opcode::Channel: return "Channel";
    case Opcode::Message: return "Message";
    case Opcode::Chunk: return "Chunk";
    case Opcode::MessageIndex: return "MessageIndex";
    case Opcode::ChunkIndex: return "ChunkIndex";
    case Opcode::Attachment: return "Attachment";
    case Opcode::AttachmentIndex: return "AttachmentIndex";
    case Opcode::Statistics: return "Statistics";
    case Opcode::Metadata: return "Metadata";
    case Opcode::MetadataIndex: return "MetadataIndex";
    case Opcode::SummaryOffset: return "SummaryOffset";
    case Opcode::DataEnd: return "DataEnd";
  }
  return "Unknown";
}

Status parseRecordBody(uint8_t opcode, std::string_view content, uint64_t offset,
                       RecordBody& out) {
  ByteReader r(content);
  switch (static_cast<Opcode>(opcode)) {
    case Opcode::Header: {
      Header h;
      h.profile = str(r);
      h.library = str(r);
      out = std::move(h);
      break;
    }
    case Opcode::Footer: {
      Footer f;
      f.summaryStart = r.u64();
      f.summaryOffsetStart = r.u64();
      f.summaryCrc = r.u32();
      out = f;
      break;
    }
    case Opcode::Schema: {
      Schema s;
      s.id = r.u16();
      s.name = str(r);
      s.encoding = str(r);
      s.data = r.prefixed32();
      out = std::move(s);
      break;
    }
    case Opcode::Channel: {
      Channel c;
      c.id = r.u16();
      c.schemaId = r.u16();
      c.topic = str(r);
      c.messageEncoding = str(r);
      c.metadata = stringMap(r);
      out = std::move(c);
      break;
    }
    case Opcode::Message: {
      Message m;
      m.channelId = r.u16();
      m.sequence = r.u32();
      m.logTime = r.u64();
      m.publishTime = r.u64();
      m.data = r.rest();  // spec: message data runs to the end of the record
      out = m;
      break;
    }
    case Opcode::Chunk: {
      Chunk c;
      c.messageStartTime = r.u64();
      c.messageEndTime = r.u64();
      c.uncompressedSize = r.u64();
      c.uncompressedCrc = r.u32();
      c.compression = str(r);
      c.records = r.prefixed64();
      out = std::move(c);
      break;
    }
    case Opcode::MessageIndex: {
      MessageIndex mi;
      mi.channelId = r.u16();
      ByteReader a(r.prefixed32());
      while (r.ok() && a.ok() && a.remaining() > 0) {
        uint64_t t = a.u64();
        uint64_t o = a.u64();
        if (a.ok()) mi.records.emplace_back(t, o);
      }
      if (!a.ok()) r.fail();
      out = std::move(mi);
      break;
    }
    case Opcode::ChunkIndex: {
      ChunkIndex ci;
      ci.messageStartTime = r.u64();
      ci.messageEndTime = r.u64();
      ci.chunkStartOffset = r.u64();
      ci.chunkLength = r.u64();
      ci.messageIndexOffsets = intMap<uint16_t>(r);
      ci.messageIndexLength = r.u64();
      ci.compression = str(r);
      ci.compressedSize = r.u64();
      ci.uncompressedSize = r.u64();
      out = std::move(ci);
      break;
    }
    case Opcode::Attachment: {
      Attachment a;
      a.logTime = r.u64();
      a.createTime = r.u64();
      a.name = str(r);
      a.mediaType = str(r);
      a.data = r.prefixed64();
      a.crc = r.u32();
      out = std::move(a);
      break;
    }
    case Opcode::AttachmentIndex: {
      AttachmentIndex a;
      a.offset = r.u64();
      a.length = r.u64();
      a.logTime = r.u64();
      a.createTime = r.u64();
      a.dataSize = r.u64();
      a.name = str(r);
      a.mediaType = str(r);
      out = std::move(a);
      break;
    }
    case Opcode::Statistics: {
      Statistics s;
      s.messageCount = r.u64();
      s.schemaCount = r.u16();
      s.channelCount = r.u32();
      s.attachmentCount = r.u32();
      s.metadataCount = r.u32();
      s.chunkCount = r.u32();
      s.messageStartTime = r.u64();
      s.messageEndTime = r.u64();
      s.channelMessageCounts = intMap<uint16_t>(r);
      out = std::move(s);
      break;
    }
    case Opcode::Metadata: {
      Metadata m;
      m.name = str(r);
      m.metadata = stringMap(r);
      out = std::move(m);
      break;
    }
    case Opcode::MetadataIndex: {
      MetadataIndex m;
      m.offset = r.u64();
      m.length = r.u64();
      m.name = str(r);
      out = std::move(m);
      break;
    }
    case Opcode::SummaryOffset: {
      SummaryOffset s;
      s.groupOpcode = r.u8();
      s.groupStart = r.u64();
      s.groupLength = r.u64();
      out = s;
      break;
    }
    case Opcode::DataEnd: {
      DataEnd d;
      d.dataSectionCrc = r.u32();
      out = d;
      break;
    }
    default:
      out = Unknown{content};
      return Status::Ok();
  }
  if (!r.ok()) {
    return Status::Error("BAD_RECORD",
                         std::string("malformed ") + opcodeName(opcode) + " record at offset " +
                             std::to_string(offset) + ": a field runs past the record length",
                         offset);
  }
  return Status::Ok();
}

}  // namespace argus::mcap
