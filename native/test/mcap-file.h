// The records of a whole MCAP file, for the core's check tools: each channel
// with its schema (null when the file has none for it) and each message, in
// file order. The records' views point into the file's bytes, which live
// only for the call.
#pragma once

#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <vector>

#include "core/stream-reader.h"

template <typename OnChannel, typename OnMessage>
void readMcapFile(const char* file, OnChannel onChannel, OnMessage onMessage) {
  std::ifstream f(file, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  argus::mcap::StreamReader reader;
  reader.append(bytes.data(), bytes.size());
  reader.finish();
  std::map<uint16_t, argus::mcap::Schema> schemas;
  argus::mcap::Record rec;
  while (reader.next(rec) == argus::mcap::ReadResult::Record) {
    using argus::mcap::Opcode;
    if (rec.opcode == static_cast<uint8_t>(Opcode::Schema)) {
      const auto& s = std::get<argus::mcap::Schema>(rec.body);
      schemas[s.id] = s;
    } else if (rec.opcode == static_cast<uint8_t>(Opcode::Channel)) {
      const auto& c = std::get<argus::mcap::Channel>(rec.body);
      auto s = schemas.find(c.schemaId);
      onChannel(c, s == schemas.end() ? nullptr : &s->second);
    } else if (rec.opcode == static_cast<uint8_t>(Opcode::Message)) {
      onMessage(std::get<argus::mcap::Message>(rec.body));
    }
  }
}
