// Checks that a CDR row written by a plan (CdrDecoder::compile, writeRow) is
// the row the general path writes (decode() into a tree, Layout::flatten()),
// byte for byte, and that both fail alike (code, message, offset): for every
// CDR message of the MCAP files given, and for damaged copies of the first
// messages of each channel (every truncation, and bytes overwritten with
// patterns that make lengths huge or odd).
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/cdr-decoder.h"
#include "core/layout.h"
#include "core/recording-parser.h"
#include "core/ros2msg.h"
#include "core/stream-reader.h"
#include "mcap-file.h"

namespace {

struct Topic {
  std::unique_ptr<argus::CdrDecoder> cdr;
  std::unique_ptr<argus::Layout> layout;  // fixed by the first message that decodes
  std::shared_ptr<const argus::CdrRowPlan> plan;
  size_t damaged = 0;  // messages whose damaged copies were checked
};

size_t variants = 0, mismatches = 0;

std::string describe(const argus::Status& s) { return s.code + " @" + std::to_string(s.offset) + " " + s.message; }

void compare(const Topic& t, std::string_view data, const std::string& what) {
  argus::ValueTree scratch, tree;
  std::string planned, flat;
  uint32_t columns = static_cast<uint32_t>(t.layout->columns().size());
  argus::Status a;
  {
    argus::CellStage stage(planned);
    a = t.cdr->writeRow(data, *t.plan, columns, stage, scratch);
  }
  uint32_t root = 0;
  argus::Status b = t.cdr->decode(data, tree, root);
  if (b.ok()) t.layout->flatten(tree, tree.nodes[root], flat);
  ++variants;
  bool same = a.code == b.code && a.message == b.message && a.offset == b.offset && (!a.ok() || planned == flat);
  if (!same && mismatches++ < 10) {
    std::printf("MISMATCH %s\n  plan:    %s | %s\n  flatten: %s | %s\n", what.c_str(), describe(a).c_str(),
                planned.substr(0, 200).c_str(), describe(b).c_str(), flat.substr(0, 200).c_str());
  }
}

void damage(const Topic& t, std::string_view data, const std::string& what) {
  for (size_t n = 0; n < data.size(); ++n) compare(t, data.substr(0, n), what + " cut at " + std::to_string(n));
  static const unsigned char kPatterns[] = {0xFF, 0x7F, 0x00, 0x01, 0x80};
  std::string copy(data);
  for (size_t at = 4; at < copy.size(); ++at) {
    for (unsigned char p : kPatterns) {
      char saved = copy[at];
      copy[at] = static_cast<char>(p);
      compare(t, copy, what + " byte " + std::to_string(at) + "=" + std::to_string(p));
      copy[at] = saved;
    }
  }
}

// Checks every CDR message of one MCAP file with layouts whose arrays expand
// into columns up to `arrayLimit` elements (longer ones go to JSON columns).
size_t checkFile(const char* file, uint32_t arrayLimit) {
  size_t messages = 0;
  std::map<uint16_t, Topic> topics;  // by channel id
  readMcapFile(
      file,
      [&](const argus::mcap::Channel& c, const argus::mcap::Schema* s) {
        if (c.messageEncoding != "cdr" || !s || s->encoding != "ros2msg" || topics.count(c.id)) return;
        argus::ros2::Schema parsed;
        if (!argus::ros2::parseSchema(s->name, s->data, parsed).ok()) return;
        topics[c.id].cdr = std::make_unique<argus::CdrDecoder>(std::move(parsed));
      },
      [&](const argus::mcap::Message& m) {
        auto it = topics.find(m.channelId);
        if (it == topics.end()) return;
        Topic& t = it->second;
        if (!t.layout) {
          argus::ValueTree tree;
          uint32_t root = 0;
          if (!t.cdr->decode(m.data, tree, root).ok()) return;
          t.layout = std::make_unique<argus::Layout>(t.cdr->layout(), arrayLimit);
          t.layout->resolve(tree, tree.nodes[root]);
          t.plan = t.cdr->compile(t.layout->root());
          if (!t.plan) {
            std::printf("MISMATCH %s channel %u: no plan\n", file, m.channelId);
            ++mismatches;
            return;
          }
        }
        ++messages;
        std::string what = std::string(file) + " (arrays to " + std::to_string(arrayLimit) + ") channel " + std::to_string(m.channelId) + " seq " + std::to_string(m.sequence);
        compare(t, m.data, what);
        if (t.damaged < 3 && m.data.size() <= 4096) {
          ++t.damaged;
          damage(t, m.data, what);
        }
      });
  return messages;
}

}  // namespace

int main(int argc, char** argv) {
  // 4: the arrays of the reference topics (covariances, 9 and 36) become JSON
  // columns; the parser's default: they are expanded into cells.
  const uint32_t limits[] = {4, argus::ParseOptions{}.arrayExpandLimit};
  size_t messages = 0;
  for (int i = 1; i < argc; ++i)
    for (uint32_t limit : limits) messages += checkFile(argv[i], limit);
  std::printf("%zu messages, %zu rows compared, %zu mismatches between plan and decode + flatten\n", messages, variants, mismatches);
  return mismatches == 0 && messages > 0 ? 0 : 1;
}
