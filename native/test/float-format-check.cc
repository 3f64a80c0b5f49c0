// Checks the float64 cell formatter against std::to_chars (shortest
// round-trip) on many doubles: short decimals, random bit patterns, edge
// cases. Integral values are allowed to differ in form (plain integers).
// Build: see test/run-float-check.sh
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/json-parser.h"
#include "core/shortest-double.h"
#include "core/value.h"

int main() {
  std::mt19937_64 rng(7);
  size_t checked = 0, failures = 0;
  // One cell of width f32 (the double then holds the float's value, and the
  // expected text is the float's shortest form) or float64. Integral values
  // may differ in form (plain integers) but must read back exactly; other
  // float64 texts must also read back as d.
  auto checkAs = [&](double d, bool f32) {
    if (!std::isfinite(d)) return;
    argus::Value v;
    v.kind = f32 ? argus::VKind::Float32 : argus::VKind::Float64;
    v.n.d = d;
    std::string ours;
    argus::appendScalar(ours, v);
    char buf[64];
    auto r = f32 ? std::to_chars(buf, buf + sizeof buf, static_cast<float>(d)) : std::to_chars(buf, buf + sizeof buf, d);
    std::string ref(buf, static_cast<size_t>(r.ptr - buf));
    ++checked;
    double back = std::strtod(ours.c_str(), nullptr);
    bool integral = std::fabs(d) < 1e15 && std::trunc(d) == d;
    bool ok = integral ? back == d : (ours == ref && (f32 || back == d));
    if (!ok && failures++ < 20) std::printf("MISMATCH %s%.17g: ours=%s to_chars=%s\n", f32 ? "float32 " : "", d, ours.c_str(), ref.c_str());
  };
  auto check = [&](double d) { checkAs(d, false); };
  const double specials[] = {0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 0.001, 0.0011, 0.00999999999999, 123.456, 1e-3, 9.999999999999999e14,
                             -0.5, 5e-324, 1.7976931348623157e308, 0.1 + 0.2, 3.14159, 2.718281828459045, 1e-7, 4.35, 100000.5};
  for (double d : specials) { check(d); check(-d); }
  for (int i = 0; i < 2000000; ++i) {
    // short decimals like sensors write: k / 10^p
    int p = static_cast<int>(rng() % 10);
    int64_t k = static_cast<int64_t>(rng() % 100000000) - 50000000;
    check(static_cast<double>(k) / std::pow(10.0, p));
    // arbitrary doubles across the fast-path range and beyond
    uint64_t bits = rng();
    double d;
    std::memcpy(&d, &bits, 8);
    check(d);
    check(std::ldexp(static_cast<double>(rng() >> 11), -static_cast<int>(rng() % 80)));
  }
  // Around the one-division fast path's bound (d * 10^K < 2^50) and the
  // 2^53 limit: 14-17 significant digits at every decimal count, and short
  // decimals with long trailing-zero runs.
  for (int i = 0; i < 1000000; ++i) {
    int p = 1 + static_cast<int>(rng() % 18);
    uint64_t span = (rng() % 4 == 0) ? (1ull << 53) : (1ull << 51);
    int64_t k = static_cast<int64_t>((1ull << 48) + rng() % span) * ((rng() & 1) ? 1 : -1);
    check(static_cast<double>(k) / std::pow(10.0, p));
    int64_t s = static_cast<int64_t>(rng() % 1000) + 1;
    check(static_cast<double>(s) / std::pow(10.0, 1 + static_cast<int>(rng() % 15)));
  }
  // Full-precision values (16-17 significant digits) across the fixed-notation
  // range: the exact 128-bit path, next to powers of two (asymmetric gaps),
  // and their neighbours one ulp away.
  for (int i = 0; i < 1000000; ++i) {
    double x = std::pow(10.0, -3.0 + 18.0 * static_cast<double>(rng() >> 11) / 9007199254740992.0);
    x = (rng() & 1) ? x : -x;
    check(x);
    check(std::nextafter(x, 0.0));
    double p2 = std::ldexp(1.0, static_cast<int>(rng() % 60) - 10);
    check(p2);
    check(std::nextafter(p2, 0.0));
    check(std::nextafter(p2, 1e300));
  }
  // The per-thread cache of short cells: a few hundred values again and
  // again in random order, each as float64 and as float32 (the same double
  // bits, another text: 0.1f is 0.10000000149011612 as a double), so a cache
  // that mixed them up, or kept a stale text, shows here.
  std::vector<double> few;
  for (int i = 0; i < 600; ++i) {
    double x = static_cast<double>(rng() % 20000) / std::pow(10.0, 1 + static_cast<int>(rng() % 6));
    few.push_back(static_cast<double>(static_cast<float>((rng() & 1) ? x : -x)));
  }
  for (int i = 0; i < 3000000; ++i) {
    double d = few[rng() % few.size()];
    checkAs(d, rng() & 1);
  }
  // The shortest-double writer alone against std::to_chars, on every kind of
  // double it takes (the cells above reach it only for full-precision
  // values): random bit patterns over all exponents, integers and exact
  // binary values above 2^53 (interval bounds that fall on round decimals),
  // powers of two (the asymmetric interval) and their neighbours, and the
  // largest and smallest normal doubles.
  size_t shortestChecked = 0;
  auto checkShortest = [&](double d) {
    if (!std::isfinite(d)) return;
    char ours[40], ref[40];
    size_t a = static_cast<size_t>(argus::writeShortestDouble(ours, d) - ours);
    size_t b = static_cast<size_t>(std::to_chars(ref, ref + sizeof ref, d).ptr - ref);
    ++shortestChecked;
    if ((a != b || std::memcmp(ours, ref, a) != 0) && failures++ < 20) {
      std::printf("MISMATCH shortest %.17g: ours=%.*s to_chars=%.*s\n", d, static_cast<int>(a), ours, static_cast<int>(b), ref);
    }
  };
  for (int i = 0; i < 3000000; ++i) {
    uint64_t bits = rng();
    double d;
    std::memcpy(&d, &bits, 8);
    checkShortest(d);
    checkShortest(std::ldexp(static_cast<double>(rng() >> 11), static_cast<int>(rng() % 80)));  // c * 2^q, q >= 0
    checkShortest(static_cast<double>(rng() % 10000000000000000000ull));  // integers up to 1e19
  }
  for (int q = -1074; q <= 1023; ++q) {
    double p2 = std::ldexp(1.0, q);
    checkShortest(p2);
    checkShortest(std::nextafter(p2, 0.0));
    checkShortest(std::nextafter(p2, 1e308));
    checkShortest(-p2 * 1.5);
  }
  checkShortest(1.7976931348623157e308);
  checkShortest(2.2250738585072014e-308);
  if (shortestChecked < 9000000) { std::printf("MISMATCH only %zu doubles reached the shortest writer\n", shortestChecked); ++failures; }
  checked += shortestChecked;

  // JSON decimals that the parser keeps as their own cell text: their value
  // (read without a general parse) must be the double from_chars reads, and
  // printing must give the text back. Short decimals as JSON writers emit
  // them, 1-17 decimals, integer parts 0 to 14 digits, both signs.
  size_t kept = 0;
  for (int batch = 0; batch < 200; ++batch) {
    std::string text = "[";
    std::vector<std::string> nums;
    for (int i = 0; i < 5000; ++i) {
      int intDigits = static_cast<int>(rng() % 8);
      int fracDigits = 1 + static_cast<int>(rng() % (intDigits == 0 ? 17 : 15 - intDigits));
      std::string n = (rng() & 1) ? "-" : "";
      if (intDigits == 0) n += "0";
      for (int k = 0; k < intDigits; ++k) n += static_cast<char>('0' + (k == 0 ? 1 + rng() % 9 : rng() % 10));
      n += '.';
      int lead = intDigits == 0 ? static_cast<int>(rng() % 3) : 0;
      for (int k = 0; k < fracDigits; ++k) n += static_cast<char>('0' + (k < lead ? 0 : (k + 1 == fracDigits ? 1 + rng() % 9 : rng() % 10)));
      nums.push_back(n);
      text += (i ? "," : "") + n;
    }
    text += "]";
    argus::ValueTree tree;
    uint32_t root = 0;
    if (!argus::parseJson(text, tree, root).ok()) { std::printf("MISMATCH JSON batch %d does not parse\n", batch); ++failures; continue; }
    const argus::Value& arr = tree.nodes[root];
    for (uint32_t i = 0; i < arr.count; ++i) {
      const argus::Value& v = tree.nodes[arr.first + i];
      const std::string& n = nums[i];
      double ref = 0;
      std::from_chars(n.data(), n.data() + n.size(), ref);
      std::string printed;
      argus::appendScalar(printed, v);
      ++checked;
      kept += !v.str.empty();
      // Kept texts print as themselves; every number has from_chars' value.
      bool ok = v.n.d == ref && (v.str.empty() || printed == n);
      if (!ok && failures++ < 20) std::printf("MISMATCH JSON %s: value %.17g (from_chars %.17g), printed %s\n", n.c_str(), v.n.d, ref, printed.c_str());
    }
  }
  if (kept < 500000) { std::printf("MISMATCH only %zu JSON decimals took the kept-text path\n", kept); ++failures; }
  std::printf("%zu doubles checked, %zu mismatches\n", checked, failures);
  return failures == 0 ? 0 : 1;
}
