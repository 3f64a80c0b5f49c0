// Checks the direct JSON row writer (JsonDecoder::writeRow) against the tree
// path (parse, then Layout::flatten): for every JSON message of the MCAP
// files given and for variants of the first messages of each channel
// (whitespace, members reordered, values swapped for null, escaped and
// non-ASCII strings, nested values, arrays, integers and decimals of every
// form, every truncation). Where the writer takes a message its row must be
// the flattened row byte for byte; where it declines, the row must be left
// as it was.
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/json-parser.h"
#include "core/layout.h"
#include "core/message-decoder.h"
#include "core/stream-reader.h"
#include "mcap-file.h"

namespace {

struct Channel {
  std::string schemaName, schemaEncoding;
  std::string schemaData;
  std::unique_ptr<argus::Layout> layout;
  size_t varied = 0;
};

size_t compared = 0, written = 0, declined = 0, mismatches = 0;

std::unique_ptr<argus::MessageDecoder> decoderFor(const Channel& c) {
  argus::Status st;
  return argus::createDecoder("json", c.schemaName, c.schemaEncoding, c.schemaData, st);
}

void compare(const argus::MessageDecoder& d, const argus::Layout& layout, const std::string& msg, const std::string& what) {
  argus::ValueTree tree;
  const std::string prefix = "1,2,3";
  std::string row = prefix;
  argus::Status st;
  bool took;
  {
    argus::CellStage stage(row);
    took = d.writeRow(msg, layout, stage, tree, st);
  }
  ++compared;
  if (!took) {
    ++declined;
    if (row != prefix && mismatches++ < 10) std::printf("MISMATCH %s: declined but left %s\n", what.c_str(), row.c_str());
    return;
  }
  ++written;
  uint32_t root = 0;
  argus::Status ref = argus::parseJson(msg, tree, root);
  std::string flat = prefix;
  if (ref.ok()) layout.flatten(tree, tree.nodes[root], flat);
  if (!st.ok() || !ref.ok() || row != flat) {
    if (mismatches++ < 10) {
      std::printf("MISMATCH %s\n  message: %s\n  written: %s (%s)\n  flatten: %s (%s)\n", what.c_str(), msg.substr(0, 300).c_str(),
                  row.c_str(), st.code.c_str(), flat.c_str(), ref.code.c_str());
    }
  }
}

// Replaces the value of the first member (after the first ':') with `v`.
std::string withFirstValue(const std::string& msg, const std::string& v) {
  size_t colon = msg.find(':');
  if (colon == std::string::npos) return msg;
  size_t end = colon + 1;
  int depth = 0;
  bool inStr = false;
  for (; end < msg.size(); ++end) {
    char c = msg[end];
    if (inStr) { if (c == '\\') ++end; else if (c == '"') inStr = false; continue; }
    if (c == '"') inStr = true;
    else if (c == '{' || c == '[') ++depth;
    else if ((c == '}' || c == ']') && depth-- == 0) break;
    else if (c == ',' && depth == 0) break;
  }
  return msg.substr(0, colon + 1) + v + msg.substr(end);
}

void vary(const Channel& c, const std::string& msg, const std::string& what) {
  static const char* kValues[] = {
      "null", "true", "false", "0", "-0", "7", "-12", "007", "123456789012345678", "1234567890123456789",
      "18446744073709551615", "18446744073709551616", "-9223372036854775808", "0.5", "-0.25", "0.001", "0.0001",
      "1.10", "12.345678901234567", "0.30000000000000004", "1e5", "1E-7", "-2.5e+3", "1.7976931348623157e309",
      "\"text\"", "\"with, comma\"", "\"quote \\\" inside\"", "\"line\\nbreak\"", "\"caf\xc3\xa9\"", "\"\\u00e9\"",
      "{}", "{\"a\":1}", "[]", "[1,2]", "\"\"", " 4 ", "1.", "-", "tru", "\"open",
  };
  auto d = decoderFor(c);
  for (const char* v : kValues) compare(*d, *c.layout, withFirstValue(msg, v), what + " first value " + v);
  d = decoderFor(c);
  std::string spaced;
  for (char ch : msg) {
    spaced += ch;
    if (ch == ',' || ch == ':' || ch == '{') spaced += " \n\t";
  }
  compare(*d, *c.layout, spaced, what + " spaced");
  compare(*d, *c.layout, " " + msg + " \r\n", what + " padded");
  compare(*d, *c.layout, msg + "x", what + " trailing data");
  // The first two members swapped (split at the first top-level comma after
  // each value): the writer must decline, or agree with flatten.
  std::string marked = withFirstValue(msg, "\x01");
  size_t key1 = msg.find('"'), mark = marked.find('\x01');
  if (key1 != std::string::npos && mark != std::string::npos && marked.compare(mark + 1, 1, ",") == 0) {
    size_t end1 = msg.size() - (marked.size() - mark - 1);  // end of the first member in msg
    std::string second = withFirstValue(msg.substr(end1 + 1), "\x02");
    size_t mark2 = second.find('\x02');
    if (mark2 != std::string::npos) {
      size_t end2 = end1 + 1 + msg.substr(end1 + 1).size() - (second.size() - mark2 - 1);
      std::string swapped = msg.substr(0, key1) + msg.substr(end1 + 1, end2 - end1 - 1) + "," + msg.substr(key1, end1 - key1) + msg.substr(end2);
      compare(*decoderFor(c), *c.layout, swapped, what + " swapped");
    }
  }
  d = decoderFor(c);
  for (size_t n = 0; n < msg.size(); ++n) {
    if (n % 64 == 0) d = decoderFor(c);  // the writer stops trying after 64 misses in a row
    compare(*d, *c.layout, msg.substr(0, n), what + " cut at " + std::to_string(n));
  }
}

}  // namespace

int main(int argc, char** argv) {
  size_t messages = 0;
  for (int i = 1; i < argc; ++i) {
    std::map<uint16_t, Channel> channels;
    std::map<uint16_t, std::unique_ptr<argus::MessageDecoder>> decoders;
    readMcapFile(
        argv[i],
        [&](const argus::mcap::Channel& ch, const argus::mcap::Schema* s) {
          if (ch.messageEncoding != "json" || channels.count(ch.id)) return;
          Channel c;
          if (s) {
            c.schemaName = s->name;
            c.schemaEncoding = s->encoding;
            c.schemaData = std::string(s->data);
          }
          channels[ch.id] = std::move(c);
          decoders[ch.id] = decoderFor(channels[ch.id]);
        },
        [&](const argus::mcap::Message& m) {
          auto it = channels.find(m.channelId);
          if (it == channels.end() || !decoders[m.channelId]) return;
          Channel& c = it->second;
          const argus::MessageDecoder& d = *decoders[m.channelId];
          std::string msg(m.data);
          if (!c.layout) {
            argus::ValueTree tree;
            uint32_t root = 0;
            if (!d.decode(msg, tree, root).ok()) return;
            c.layout = std::make_unique<argus::Layout>(d.layout(tree, tree.nodes[root], 4));
            c.layout->resolve(tree, tree.nodes[root]);
          }
          ++messages;
          std::string what = std::string(argv[i]) + " channel " + std::to_string(m.channelId) + " seq " + std::to_string(m.sequence);
          compare(d, *c.layout, msg, what);
          if (c.varied < 3) {
            ++c.varied;
            vary(c, msg, what);
          }
        });
  }
  std::printf("%zu messages, %zu rows compared (%zu written directly, %zu declined), %zu mismatches with flatten\n", messages, compared,
              written, declined, mismatches);
  return mismatches == 0 && written > 0 && declined > 0 ? 0 : 1;
}
