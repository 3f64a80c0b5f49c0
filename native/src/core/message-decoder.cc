#include "message-decoder.h"

#include <atomic>
#include <charconv>
#include <mutex>

#include "cdr-decoder.h"
#include "cell-stage.h"
#include "csv-writer.h"
#include "json-parser.h"
#include "protobuf-decoder.h"
#include "ros2msg.h"

namespace argus {
namespace {

const Value* member(const ValueTree& t, const Value& obj, std::string_view name) {
  if (obj.kind != VKind::Object) return nullptr;
  for (uint32_t i = 0; i < obj.count; ++i) {
    if (t.nodes[obj.first + i].key == name) return &t.nodes[obj.first + i];
  }
  return nullptr;
}

// "type" may be a string or an array like ["number", "null"].
std::string_view schemaType(const ValueTree& t, const Value& s) {
  const Value* ty = member(t, s, "type");
  if (!ty) return {};
  if (ty->kind == VKind::String) return ty->str;
  if (ty->kind == VKind::Array) {
    for (uint32_t i = 0; i < ty->count; ++i) {
      const Value& e = t.nodes[ty->first + i];
      if (e.kind == VKind::String && e.str != "null") return e.str;
    }
  }
  return {};
}

uint32_t uintMember(const ValueTree& t, const Value& s, std::string_view name) {
  const Value* v = member(t, s, name);
  if (!v) return 0;
  if (v->kind == VKind::Int && v->n.i > 0 && v->n.i < 0x7FFFFFFF) return static_cast<uint32_t>(v->n.i);
  return 0;
}

LayoutNode jsonSchemaNode(const ValueTree& t, const Value& s, std::string name, int depth) {
  std::string_view type = schemaType(t, s);
  const Value* props = member(t, s, "properties");
  if (props && props->kind == VKind::Object && depth < 32) {
    LayoutNode n = LayoutNode::structOf(std::move(name));
    for (uint32_t i = 0; i < props->count; ++i) {
      const Value& p = t.nodes[props->first + i];
      n.children.push_back(jsonSchemaNode(t, p, std::string(p.key), depth + 1));
    }
    return n;
  }
  if (type == "object") return LayoutNode::jsonCol(std::move(name));
  if (type == "array") {
    const Value* items = member(t, s, "items");
    std::string_view it = items ? schemaType(t, *items) : std::string_view();
    if (it == "number" || it == "integer" || it == "boolean") {
      uint32_t minI = uintMember(t, s, "minItems"), maxI = uintMember(t, s, "maxItems");
      if (maxI > 0 && minI == maxI) return LayoutNode::numArray(std::move(name), true, maxI);
      return LayoutNode::numArray(std::move(name), false, maxI);
    }
    return LayoutNode::jsonCol(std::move(name));
  }
  return LayoutNode::scalar(std::move(name));
}

// Writes the row of a JSON message straight from its text when the message
// has exactly the shape of its layout: objects whose members come in the
// layout's order with the layout's names, and scalar values (numbers,
// booleans, null, strings without escapes). Anything else, including every
// malformed message, makes it give up (the caller then parses a tree and
// flattens it, which also reports errors): it writes what flatten() writes
// or nothing.
class JsonRowWriter {
 public:
  JsonRowWriter(std::string_view s, CellStage& out) : s_(s), out_(out) {}

  bool row(const LayoutNode& root, uint32_t columns) {
    ws();
    if (!object(root)) return false;
    ws();
    if (p_ != s_.size()) return false;
    out_.finish(columns);
    return true;
  }

 private:
  void ws() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\n' || s_[p_] == '\r' || s_[p_] == '\t')) ++p_;
  }
  // A string without escapes (the parser's view of it is these bytes).
  bool plainString(std::string_view& out) {
    if (p_ >= s_.size() || s_[p_] != '"') return false;
    size_t start = ++p_;
    while (p_ < s_.size() && s_[p_] != '"') {
      unsigned char c = static_cast<unsigned char>(s_[p_]);
      if (c < 0x20 || c == '\\') return false;
      ++p_;
    }
    if (p_ >= s_.size()) return false;
    out = s_.substr(start, p_ - start);
    ++p_;
    return true;
  }
  bool object(const LayoutNode& n) {
    if (n.kind != LayoutNode::Kind::Struct || p_ >= s_.size() || s_[p_] != '{') return false;
    ++p_;
    ws();
    size_t i = 0;
    if (p_ < s_.size() && s_[p_] == '}') {
      ++p_;
      return n.children.empty();
    }
    for (;;) {
      if (i >= n.children.size()) return false;
      const LayoutNode& c = n.children[i++];
      ws();
      std::string_view key;
      if (!plainString(key) || key != c.name) return false;
      ws();
      if (p_ >= s_.size() || s_[p_] != ':') return false;
      ++p_;
      ws();
      if (!value(c)) return false;
      ws();
      if (p_ < s_.size() && s_[p_] == ',') { ++p_; continue; }
      if (p_ < s_.size() && s_[p_] == '}') { ++p_; break; }
      return false;
    }
    return i == n.children.size();
  }
  bool value(const LayoutNode& n) {
    if (p_ >= s_.size()) return false;
    char c = s_[p_];
    if (c == '{') return object(n);
    if (n.kind != LayoutNode::Kind::Scalar) return false;
    switch (c) {
      case '"': {
        std::string_view v;
        if (!plainString(v)) return false;
        out_.cell(n.col);
        out_.field(v);
        return true;
      }
      case 't': return literal("true", n);
      case 'f': return literal("false", n);
      case 'n': return literal("null", n);
      case '[':
        return false;
      default:
        return number(n);
    }
  }
  // `word` at the cursor: its own text as the cell, except null (the cell stays empty).
  bool literal(std::string_view word, const LayoutNode& n) {
    if (s_.substr(p_, word.size()) != word) return false;
    p_ += word.size();
    if (word != "null") {
      out_.cell(n.col);
      out_.put(word);
    }
    return true;
  }
  bool number(const LayoutNode& n) {
    size_t start = p_;
    JsonNumberText t = scanJsonNumber(s_, p_);
    if (t.error) return false;
    p_ = t.end;
    std::string_view text = s_.substr(start, p_ - start);
    if (!t.isFloat) {
      // Integers the parser reads exactly and prints as these very digits.
      bool canonical = t.intLen <= 18 && (t.intLen == 1 || s_[t.digits] != '0') && !(t.negative && text == "-0");
      if (!canonical) return false;
      out_.cell(n.col);
      out_.put(text);
      return true;
    }
    if (t.isCell) {
      out_.cell(n.col);
      out_.put(text);
      return true;
    }
    double d;
    auto r = std::from_chars(text.data(), text.data() + text.size(), d);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size()) return false;
    out_.cell(n.col);
    out_.used(writeFloatCell(out_.room(kMaxFloatText), d, false));
    return true;
  }

  std::string_view s_;
  CellStage& out_;
  size_t p_ = 0;
};

class JsonDecoder : public MessageDecoder {
 public:
  explicit JsonDecoder(std::string schemaText) : schemaText_(std::move(schemaText)) {
    if (!schemaText_.empty()) {
      uint32_t root;
      if (parseJson(schemaText_, schema_, root).ok()) schemaRoot_ = static_cast<int64_t>(root);
    }
  }
  bool schemaOk() const { return schemaText_.empty() || schemaRoot_ >= 0; }
  Status decode(std::string_view data, ValueTree& tree, uint32_t& root) const override {
    return parseJson(data, tree, root);
  }
  bool writeRow(std::string_view data, const Layout& layout, CellStage& row, ValueTree&, Status& status) const override {
    // Given up for good once 64 messages in a row did not fit their layout
    // (members in another order than the schema's, say), so such a topic
    // pays for no more than 64 tries.
    if (layout.rootIsValue() || misses_.load(std::memory_order_relaxed) >= kMaxMisses) return false;
    CellStage::Mark start = row.mark();
    if (!JsonRowWriter(data, row).row(layout.root(), static_cast<uint32_t>(layout.columns().size()))) {
      row.rewind(start);
      misses_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    if (misses_.load(std::memory_order_relaxed) != 0) misses_.store(0, std::memory_order_relaxed);
    status = Status::Ok();
    return true;
  }
  Layout layout(const ValueTree& t, const Value& first, uint32_t limit) const override {
    if (schemaRoot_ >= 0) {
      const Value& s = schema_.nodes[static_cast<size_t>(schemaRoot_)];
      const Value* props = member(schema_, s, "properties");
      if (props && props->kind == VKind::Object && props->count > 0) {
        return Layout(jsonSchemaNode(schema_, s, "", 0), limit);
      }
    }
    return Layout::infer(t, first, limit);
  }

 private:
  static constexpr uint32_t kMaxMisses = 64;
  std::string schemaText_;
  ValueTree schema_;
  int64_t schemaRoot_ = -1;
  mutable std::atomic<uint32_t> misses_{0};
};

class Ros2Decoder : public MessageDecoder {
 public:
  explicit Ros2Decoder(ros2::Schema s) : cdr_(std::move(s)) {}
  bool writeRow(std::string_view data, const Layout& layout, CellStage& row, ValueTree& scratch,
                Status& status) const override {
    if (layout.rootIsValue()) return false;
    // One topic, one layout: its plan is made by the first row (rows may be
    // written on several threads at once, hence call_once).
    std::call_once(planned_, [&] {
      plan_ = cdr_.compile(layout.root());
      planFor_ = &layout;
    });
    if (!plan_ || planFor_ != &layout) return false;  // the tree path then decodes and flattens
    status = cdr_.writeRow(data, *plan_, static_cast<uint32_t>(layout.columns().size()), row, scratch);
    return true;
  }
  Status decode(std::string_view data, ValueTree& tree, uint32_t& root) const override {
    return cdr_.decode(data, tree, root);
  }
  Layout layout(const ValueTree&, const Value&, uint32_t limit) const override {
    return Layout(cdr_.layout(), limit);
  }

 private:
  CdrDecoder cdr_;
  mutable std::once_flag planned_;
  mutable std::shared_ptr<const CdrRowPlan> plan_;
  mutable const Layout* planFor_ = nullptr;
};

class PbDecoder : public MessageDecoder {
 public:
  pb::ProtobufDecoder pb;
  Status decode(std::string_view data, ValueTree& tree, uint32_t& root) const override {
    return pb.decode(data, tree, root);
  }
  Layout layout(const ValueTree&, const Value&, uint32_t limit) const override {
    return Layout(pb.layout(), limit);
  }
};

}  // namespace

std::unique_ptr<MessageDecoder> createDecoder(std::string_view messageEncoding, std::string_view schemaName,
                                              std::string_view schemaEncoding, std::string_view schemaData,
                                              Status& status) {
  status = Status::Ok();
  if (messageEncoding == "json") {
    std::string text = schemaEncoding == "jsonschema" ? std::string(schemaData) : std::string();
    auto d = std::make_unique<JsonDecoder>(std::move(text));
    if (!d->schemaOk()) {
      status = Status::Error("BAD_SCHEMA", "jsonschema for \"" + std::string(schemaName) + "\" is not valid JSON", 0);
      return nullptr;
    }
    return d;
  }
  if (messageEncoding == "cdr" && schemaEncoding == "ros2msg") {
    ros2::Schema s;
    status = ros2::parseSchema(schemaName, schemaData, s);
    if (!status.ok()) return nullptr;
    return std::make_unique<Ros2Decoder>(std::move(s));
  }
  if (messageEncoding == "protobuf" && schemaEncoding == "protobuf") {
    auto d = std::make_unique<PbDecoder>();
    status = pb::ProtobufDecoder::create(schemaData, schemaName, d->pb);
    if (!status.ok()) return nullptr;
    return d;
  }
  status = Status::Error("UNSUPPORTED_ENCODING",
                         "message encoding \"" + std::string(messageEncoding) + "\" with schema encoding \"" +
                             std::string(schemaEncoding) + "\" is not supported",
                         0);
  return nullptr;
}

}  // namespace argus
