#include "json-parser.h"

#include <charconv>
#include <cstdlib>
#include <string>
#include <vector>

namespace argus {
namespace {

constexpr int kMaxDepth = 256;

class JsonParser {
 public:
  JsonParser(std::string_view s, ValueTree& t) : s_(s), t_(t) {}

  Status run(uint32_t& root) {
    stack_.clear();  // a failed parse may have left members behind
    Value v;
    if (!value(v, 0)) return err_;
    ws();
    if (p_ != s_.size()) return error("unexpected data after the JSON value");
    root = t_.add(v);
    return Status::Ok();
  }

 private:
  bool fail(const char* what) {
    if (err_.ok()) err_ = Status::Error("BAD_JSON", std::string(what) + " at JSON offset " + std::to_string(p_), p_);
    return false;
  }
  Status error(const char* what) {
    fail(what);
    return err_;
  }
  void ws() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\n' || s_[p_] == '\r' || s_[p_] == '\t')) ++p_;
  }
  bool lit(std::string_view word) {
    if (s_.substr(p_, word.size()) != word) return fail("invalid literal");
    p_ += word.size();
    return true;
  }

  bool value(Value& v, int depth) {
    if (depth > kMaxDepth) return fail("nesting too deep");
    ws();
    if (p_ >= s_.size()) return fail("unexpected end of JSON");
    char c = s_[p_];
    switch (c) {
      case '{': return object(v, depth);
      case '[': return array(v, depth);
      case '"': v.kind = VKind::String; return string(v.str);
      case 't': v.kind = VKind::Bool; v.n.b = true; return lit("true");
      case 'f': v.kind = VKind::Bool; v.n.b = false; return lit("false");
      case 'n': v.kind = VKind::Null; return lit("null");
      default: return number(v);
    }
  }

  bool object(Value& v, int depth) {
    ++p_;
    size_t mark = stack_.size();
    ws();
    if (p_ < s_.size() && s_[p_] == '}') {
      ++p_;
    } else {
      for (;;) {
        ws();
        if (p_ >= s_.size() || s_[p_] != '"') return fail("expected a member name");
        std::string_view key;
        if (!string(key)) return false;
        ws();
        if (p_ >= s_.size() || s_[p_] != ':') return fail("expected ':'");
        ++p_;
        Value child;
        if (!value(child, depth + 1)) return false;
        child.key = key;
        stack_.push_back(child);
        ws();
        if (p_ < s_.size() && s_[p_] == ',') { ++p_; continue; }
        if (p_ < s_.size() && s_[p_] == '}') { ++p_; break; }
        return fail("expected ',' or '}'");
      }
    }
    v.kind = VKind::Object;
    place(v, mark);
    return true;
  }

  bool array(Value& v, int depth) {
    ++p_;
    size_t mark = stack_.size();
    ws();
    if (p_ < s_.size() && s_[p_] == ']') {
      ++p_;
    } else {
      for (;;) {
        Value child;
        if (!value(child, depth + 1)) return false;
        stack_.push_back(child);
        ws();
        if (p_ < s_.size() && s_[p_] == ',') { ++p_; continue; }
        if (p_ < s_.size() && s_[p_] == ']') { ++p_; break; }
        return fail("expected ',' or ']'");
      }
    }
    v.kind = VKind::Array;
    place(v, mark);
    return true;
  }

  // Moves the children collected since `mark` into contiguous tree nodes.
  void place(Value& v, size_t mark) {
    v.first = static_cast<uint32_t>(t_.nodes.size());
    v.count = static_cast<uint32_t>(stack_.size() - mark);
    t_.nodes.insert(t_.nodes.end(), stack_.begin() + static_cast<std::ptrdiff_t>(mark), stack_.end());
    stack_.resize(mark);
  }

  static int hexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  bool hex4(uint32_t& out) {
    if (s_.size() - p_ < 4) return fail("short \\u escape");
    out = 0;
    for (int i = 0; i < 4; ++i) {
      int d = hexDigit(s_[p_++]);
      if (d < 0) return fail("bad \\u escape");
      out = out << 4 | static_cast<uint32_t>(d);
    }
    return true;
  }
  static void utf8(std::string& o, uint32_t cp) {
    if (cp < 0x80) {
      o += static_cast<char>(cp);
    } else if (cp < 0x800) {
      o += static_cast<char>(0xC0 | (cp >> 6));
      o += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      o += static_cast<char>(0xE0 | (cp >> 12));
      o += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      o += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      o += static_cast<char>(0xF0 | (cp >> 18));
      o += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      o += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      o += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  bool string(std::string_view& out) {
    ++p_;  // opening quote
    size_t start = p_;
    while (p_ < s_.size() && s_[p_] != '"' && s_[p_] != '\\') {
      if (static_cast<unsigned char>(s_[p_]) < 0x20) return fail("control character in string");
      ++p_;
    }
    if (p_ >= s_.size()) return fail("unterminated string");
    if (s_[p_] == '"') {
      out = s_.substr(start, p_ - start);
      ++p_;
      return true;
    }
    std::string o(s_.substr(start, p_ - start));
    while (p_ < s_.size() && s_[p_] != '"') {
      char c = s_[p_++];
      if (static_cast<unsigned char>(c) < 0x20) return fail("control character in string");
      if (c != '\\') { o += c; continue; }
      if (p_ >= s_.size()) return fail("unterminated escape");
      char e = s_[p_++];
      switch (e) {
        case '"': o += '"'; break;
        case '\\': o += '\\'; break;
        case '/': o += '/'; break;
        case 'b': o += '\b'; break;
        case 'f': o += '\f'; break;
        case 'n': o += '\n'; break;
        case 'r': o += '\r'; break;
        case 't': o += '\t'; break;
        case 'u': {
          uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00 && s_.substr(p_, 2) == "\\u") {
            size_t save = p_;
            p_ += 2;
            uint32_t lo = 0;
            if (!hex4(lo)) return false;
            if (lo >= 0xDC00 && lo < 0xE000) cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            else p_ = save;
          }
          if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD;  // lone surrogate
          utf8(o, cp);
          break;
        }
        default: return fail("bad escape");
      }
    }
    if (p_ >= s_.size()) return fail("unterminated string");
    ++p_;
    out = t_.keep(std::move(o));
    return true;
  }

  bool number(Value& v) {
    size_t start = p_;
    JsonNumberText n = scanJsonNumber(s_, p_);
    p_ = n.end;
    if (n.error) return fail(n.error);
    const char* b = s_.data() + start;
    const char* e = s_.data() + p_;
    if (!n.isFloat) {
      if (*b == '-') {
        int64_t i;
        auto r = std::from_chars(b, e, i);
        if (r.ec == std::errc() && r.ptr == e) { v.kind = VKind::Int; v.n.i = i; return true; }
      } else {
        uint64_t u;
        auto r = std::from_chars(b, e, u);
        if (r.ec == std::errc() && r.ptr == e) {
          if (u <= static_cast<uint64_t>(INT64_MAX)) { v.kind = VKind::Int; v.n.i = static_cast<int64_t>(u); }
          else { v.kind = VKind::UInt; v.n.u = u; }
          return true;
        }
      }
    }
    v.kind = VKind::Float64;
    if (n.isCell) {
      // Kept and printed as is (value.cc, appendFloat).
      v.str = std::string_view(b, static_cast<size_t>(e - b));
      v.n.d = jsonCellValue(s_, n);
      return true;
    }
    double d;
    auto r = std::from_chars(b, e, d);
    if (r.ptr != e) return fail("invalid number");
    v.n.d = d;
    // Out of range: let strtod pick +-inf or a (sub)normal/zero as IEEE says.
    if (r.ec == std::errc::result_out_of_range) v.n.d = std::strtod(std::string(b, e).c_str(), nullptr);
    return true;
  }

  std::string_view s_;
  ValueTree& t_;
  size_t p_ = 0;
  Status err_;
  // Members and elements collected until their object or array closes; one
  // per thread, kept across messages (a fresh vector per message regrew it
  // every time).
  static thread_local std::vector<Value> stack_;
};

thread_local std::vector<Value> JsonParser::stack_;

}  // namespace

JsonNumberText scanJsonNumber(std::string_view s, size_t p) {
  JsonNumberText n;
  if (p < s.size() && s[p] == '-') { n.negative = true; ++p; }
  n.digits = p;
  while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
  if (p == n.digits) { n.error = "invalid value"; n.end = p; return n; }
  n.intLen = p - n.digits;
  if (p < s.size() && s[p] == '.') {
    n.isFloat = true;
    ++p;
    n.frac = p;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
    if (p == n.frac) { n.error = "digits expected after '.'"; n.end = p; return n; }
    n.fracLen = p - n.frac;
  }
  if (p < s.size() && (s[p] == 'e' || s[p] == 'E')) {
    n.isFloat = n.exponent = true;
    ++p;
    if (p < s.size() && (s[p] == '+' || s[p] == '-')) ++p;
    size_t ex = p;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
    if (p == ex) { n.error = "digits expected in exponent"; n.end = p; return n; }
  }
  n.end = p;
  if (!n.exponent && n.fracLen > 0 && s[p - 1] != '0') {
    // At most 15 significant digits are unique to their double (DBL_DIG), so
    // the shortest round-trip text of the value is these digits, in fixed
    // notation for 1e-3 <= |d| < 1e15.
    bool zeroInt = n.intLen == 1 && s[n.digits] == '0';
    size_t lead = 0;  // zeros right after the point when the integer part is 0
    if (zeroInt) while (lead < n.fracLen && s[n.frac + lead] == '0') ++lead;
    size_t significant = zeroInt ? n.fracLen - lead : n.intLen + n.fracLen;
    n.isCell = (zeroInt || s[n.digits] != '0') && significant <= 15 && (!zeroInt || lead <= 2);
  }
  return n;
}

double jsonCellValue(std::string_view s, const JsonNumberText& n) {
  // The digits as an integer m (below 10^15 < 2^53) over 10^fracLen
  // (fracLen <= 17 < 23), both exact doubles, so the division is correctly
  // rounded (Clinger's fast path) and equals what from_chars reads.
  uint64_t m = 0;
  for (size_t i = n.digits; i < n.digits + n.intLen; ++i) m = m * 10 + static_cast<uint64_t>(s[i] - '0');
  for (size_t i = n.frac; i < n.frac + n.fracLen; ++i) m = m * 10 + static_cast<uint64_t>(s[i] - '0');
  double d = static_cast<double>(m) / kExactPow10[n.fracLen];
  return n.negative ? -d : d;
}

Status parseJson(std::string_view text, ValueTree& tree, uint32_t& root) {
  tree.clear();
  JsonParser p(text, tree);
  return p.run(root);
}

}  // namespace argus
