// Node-API shell over the C++ core. It only translates: JS options -> core
// options, core results -> JS values. Parsing runs on the libuv thread pool
// (Napi::AsyncWorker) so the event loop stays free.
//
// Exports:
//   Parser(options)        push(buf) -> Promise<{chunks, error?}>
//                          finish()  -> Promise<{chunks, summary, error?}>
//   RecordReader(options)  append(buf), finish(), next() -> record | null,
//                          done(), problems()   (synchronous, raw records)
#include <napi.h>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "chunk-compressor.h"
#include "core/recording-parser.h"
#include "core/stream-reader.h"

namespace {

using argus::CsvChunk;
using argus::Problem;
using argus::RecordingParser;
using argus::RecordingSummary;
using argus::Status;

std::vector<std::string> stringList(const Napi::Object& o, const char* key) {
  std::vector<std::string> out;
  Napi::Value v = o.Get(key);
  if (!v.IsArray()) return out;
  Napi::Array a = v.As<Napi::Array>();
  for (uint32_t i = 0; i < a.Length(); ++i) {
    Napi::Value e = a.Get(i);
    if (e.IsString()) out.push_back(e.As<Napi::String>().Utf8Value());
  }
  return out;
}

// Nanosecond times arrive as bigint, decimal string or (small) number.
void timeOption(const Napi::Value& v, uint64_t& out) {
  if (v.IsBigInt()) {
    bool lossless = false;
    uint64_t x = v.As<Napi::BigInt>().Uint64Value(&lossless);
    if (lossless) out = x;
  } else if (v.IsString()) {
    std::string s = v.As<Napi::String>().Utf8Value();
    uint64_t x = 0;
    bool ok = !s.empty() && s.size() <= 20;
    for (char c : s) {
      if (c < '0' || c > '9' || x > (UINT64_MAX - 9) / 10) { ok = false; break; }
      x = x * 10 + static_cast<uint64_t>(c - '0');
    }
    if (ok) out = x;
  } else if (v.IsNumber()) {
    double d = v.As<Napi::Number>().DoubleValue();
    if (d >= 0 && d < 18446744073709551616.0) out = static_cast<uint64_t>(d);
  }
}

// `{ topicOrGlob: number }` option as (topic, number) pairs; other entries are
// skipped (the TypeScript wrapper has refused them with a message already).
std::vector<std::pair<std::string, double>> topicNumbers(const Napi::Object& obj, const char* key) {
  std::vector<std::pair<std::string, double>> out;
  Napi::Value v = obj.Get(key);
  if (!v.IsObject()) return out;
  Napi::Object m = v.As<Napi::Object>();
  Napi::Array keys = m.GetPropertyNames();
  for (uint32_t i = 0; i < keys.Length(); ++i) {
    Napi::Value k = keys.Get(i);
    Napi::Value n = m.Get(k);
    if (k.IsString() && n.IsNumber()) out.emplace_back(k.As<Napi::String>().Utf8Value(), n.As<Napi::Number>().DoubleValue());
  }
  return out;
}

argus::ParseOptions parseOptions(const Napi::Value& value) {
  argus::ParseOptions o;
  if (!value.IsObject()) return o;
  Napi::Object obj = value.As<Napi::Object>();
  o.topics = stringList(obj, "topics");
  o.excludeTopics = stringList(obj, "excludeTopics");
  for (const auto& [topic, every] : topicNumbers(obj, "decimate")) {
    if (every >= 1 && every < 4294967296.0) o.decimate.emplace_back(topic, static_cast<uint32_t>(every));
  }
  for (const auto& [topic, hz] : topicNumbers(obj, "maxRateHz")) {
    if (hz > 0 && hz <= 1e9) o.maxRateHz.emplace_back(topic, hz);
  }
  Napi::Value lim = obj.Get("arrayExpandLimit");
  if (lim.IsNumber()) {
    double x = lim.As<Napi::Number>().DoubleValue();
    if (x >= 0 && x <= 65536) o.arrayExpandLimit = static_cast<uint32_t>(x);
  }
  Napi::Value cb = obj.Get("chunkBytes");
  if (cb.IsNumber()) {
    double x = cb.As<Napi::Number>().DoubleValue();
    if (x >= 1 && x <= 4294967296.0) o.chunkBytes = static_cast<size_t>(x);
  }
  timeOption(obj.Get("startTimeNs"), o.startTime);
  timeOption(obj.Get("endTimeNs"), o.endTime);
  Napi::Value threads = obj.Get("threads");
  if (threads.IsNumber()) {
    double x = threads.As<Napi::Number>().DoubleValue();
    if (x >= 1 && x <= 64) o.threads = static_cast<uint32_t>(x);
  }
  Napi::Value crc = obj.Get("checkCrc");
  if (crc.IsBoolean()) o.checkCrc = crc.As<Napi::Boolean>().Value();
  return o;
}

Napi::Object keyValues(Napi::Env env, const argus::mcap::KeyValues& kv) {
  Napi::Object o = Napi::Object::New(env);
  for (const auto& [k, v] : kv) o.Set(k, v);
  return o;
}

Napi::Object problemToJs(Napi::Env env, const Problem& p) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("code", p.code);
  o.Set("message", p.message);
  o.Set("offset", Napi::Number::New(env, static_cast<double>(p.offset)));
  if (!p.topic.empty()) o.Set("topic", p.topic);
  return o;
}

Napi::Array problemsToJs(Napi::Env env, const std::vector<Problem>& ps) {
  Napi::Array a = Napi::Array::New(env, ps.size());
  for (size_t i = 0; i < ps.size(); ++i) a.Set(static_cast<uint32_t>(i), problemToJs(env, ps[i]));
  return a;
}

Napi::Object summaryToJs(Napi::Env env, const RecordingSummary& s) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("vehicle", keyValues(env, s.vehicle));
  Napi::Array md = Napi::Array::New(env, s.metadata.size());
  for (size_t i = 0; i < s.metadata.size(); ++i) {
    Napi::Object m = Napi::Object::New(env);
    m.Set("name", s.metadata[i].first);
    m.Set("metadata", keyValues(env, s.metadata[i].second));
    md.Set(static_cast<uint32_t>(i), m);
  }
  o.Set("metadata", md);
  Napi::Array topics = Napi::Array::New(env, s.topics.size());
  for (size_t i = 0; i < s.topics.size(); ++i) {
    const argus::TopicSummary& t = s.topics[i];
    Napi::Object x = Napi::Object::New(env);
    x.Set("topic", t.topic);
    x.Set("messageEncoding", t.messageEncoding);
    x.Set("schemaName", t.schemaName);
    x.Set("schemaEncoding", t.schemaEncoding);
    x.Set("messageCount", Napi::Number::New(env, static_cast<double>(t.messageCount)));
    x.Set("rowCount", Napi::Number::New(env, static_cast<double>(t.rows)));
    x.Set("decodeErrors", Napi::Number::New(env, static_cast<double>(t.decodeErrors)));
    x.Set("selected", Napi::Boolean::New(env, t.selected));
    x.Set("firstLogTimeNs", std::to_string(t.firstLogTime));
    x.Set("lastLogTimeNs", std::to_string(t.lastLogTime));
    x.Set("largestGapNs", std::to_string(t.largestGap));
    Napi::Array cols = Napi::Array::New(env, t.columns.size());
    for (size_t c = 0; c < t.columns.size(); ++c) cols.Set(static_cast<uint32_t>(c), t.columns[c]);
    x.Set("columns", cols);
    topics.Set(static_cast<uint32_t>(i), x);
  }
  o.Set("topics", topics);
  o.Set("problems", problemsToJs(env, s.problems));
  o.Set("truncated", Napi::Boolean::New(env, s.truncated));
  o.Set("bytesRead", Napi::Number::New(env, static_cast<double>(s.bytesRead)));
  return o;
}

// The zstd level of the `compress` option ({ encoding: 'zstd', level }), or 0
// when chunks stay plain CSV (the TypeScript wrapper has checked the values).
int compressLevel(const Napi::Value& options) {
  if (!options.IsObject()) return 0;
  Napi::Value c = options.As<Napi::Object>().Get("compress");
  if (!c.IsObject()) return 0;
  Napi::Value level = c.As<Napi::Object>().Get("level");
  double x = level.IsNumber() ? level.As<Napi::Number>().DoubleValue() : 1;
  return x >= 1 && x <= 22 ? static_cast<int>(x) : 1;
}

// The data pointers of chunk buffers JS holds now: releaseChunk() detaches
// only those (never a buffer it did not make, e.g. a slice of Node's pool).
struct LiveChunks {
  std::mutex mu;
  std::unordered_set<const char*> data;
};
LiveChunks& liveChunks() {
  static LiveChunks* l = new LiveChunks();  // never destroyed: finalizers may run at exit
  return *l;
}

// A chunk's bytes while JS holds them. Plain CSV goes back to the spare
// chunk buffers when freed; a compressed chunk, sized to its frame, does not.
struct OwnedChunk {
  std::string bytes;
  bool plainCsv;
};

// releaseChunk(buffer): the caller is done with a chunk's bytes. Detaching
// its ArrayBuffer frees them now (the finalizer runs on the next turn of the
// event loop) instead of when V8 collects the Buffer, so the next chunks
// reuse warm memory; the Buffer (and any view of it) becomes empty. Returns
// false, doing nothing, for a buffer that is not a whole live chunk.
Napi::Value ReleaseChunk(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsBuffer()) return Napi::Boolean::New(env, false);
  Napi::Buffer<char> b = info[0].As<Napi::Buffer<char>>();
  Napi::ArrayBuffer ab = b.ArrayBuffer();
  if (b.ByteOffset() != 0 || ab.ByteLength() != b.Length() || ab.Data() == nullptr) return Napi::Boolean::New(env, false);
  {
    std::lock_guard<std::mutex> lock(liveChunks().mu);
    if (liveChunks().data.count(static_cast<const char*>(ab.Data())) == 0) return Napi::Boolean::New(env, false);
  }
  if (napi_detach_arraybuffer(env, ab) != napi_ok) return Napi::Boolean::New(env, false);
  return Napi::Boolean::New(env, true);
}

// A chunk with rawBytes > 0 was compressed by the `compress` option's sink:
// its `csv` holds the zstd frame.
Napi::Array chunksToJs(Napi::Env env, std::vector<CsvChunk>& chunks) {
  Napi::Array a = Napi::Array::New(env, chunks.size());
  for (size_t i = 0; i < chunks.size(); ++i) {
    CsvChunk& c = chunks[i];
    Napi::Object o = Napi::Object::New(env);
    o.Set("topic", c.topic);
    o.Set("index", Napi::Number::New(env, c.index));
    o.Set("rows", Napi::Number::New(env, static_cast<double>(c.rows)));
    if (c.rawBytes > 0) {
      o.Set("encoding", "zstd");
      o.Set("rawBytes", Napi::Number::New(env, static_cast<double>(c.rawBytes)));
    }
    // Hand the bytes to JS without a copy; the finalizer gives a plain CSV
    // buffer back to the spare chunk buffers (a compressed one, sized to its
    // frame, is only freed). V8 is told about the bytes (and told again when
    // they are freed): an external buffer is otherwise invisible to its GC
    // heuristics, and discarded chunks would pile up until the JS heap alone
    // triggered a GC.
    auto* owned = new OwnedChunk{std::move(c.csv), c.rawBytes == 0};
    Napi::MemoryManagement::AdjustExternalMemory(env, static_cast<int64_t>(owned->bytes.capacity()));
    {
      std::lock_guard<std::mutex> lock(liveChunks().mu);
      liveChunks().data.insert(owned->bytes.data());
    }
    o.Set("csv", Napi::Buffer<char>::New(env, owned->bytes.data(), owned->bytes.size(),
                                         [](Napi::Env e, char*, OwnedChunk* k) {
                                           Napi::MemoryManagement::AdjustExternalMemory(e, -static_cast<int64_t>(k->bytes.capacity()));
                                           {
                                             std::lock_guard<std::mutex> lock(liveChunks().mu);
                                             liveChunks().data.erase(k->bytes.data());
                                           }
                                           if (k->plainCsv) argus::ChunkBuffers::give(std::move(k->bytes));  // the next chunks reuse its pages
                                           delete k;
                                         },
                                         owned));
    a.Set(static_cast<uint32_t>(i), o);
  }
  return a;
}

class ParserWrap : public Napi::ObjectWrap<ParserWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Parser",
                       {InstanceMethod("push", &ParserWrap::Push), InstanceMethod("finish", &ParserWrap::Finish),
                        InstanceMethod("seek", &ParserWrap::Seek)});
  }
  explicit ParserWrap(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<ParserWrap>(info), parser_(parseOptions(info[0])) {
    if (int level = compressLevel(info[0])) {
      compressor_ = std::make_unique<argus::ChunkCompressor>(level);
      parser_.setChunkSink(compressor_.get());
    }
  }

  RecordingParser& parser() { return parser_; }
  argus::ChunkCompressor* compressor() { return compressor_.get(); }
  bool busy = false;

 private:
  Napi::Value Push(const Napi::CallbackInfo& info);
  Napi::Value Finish(const Napi::CallbackInfo& info);
  // seek(offset): the next pushed bytes start at this file offset.
  Napi::Value Seek(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (busy || !info[0].IsNumber()) {
      Napi::Error::New(env, busy ? "Parser is busy" : "seek expects a byte offset").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    double off = info[0].As<Napi::Number>().DoubleValue();
    if (off < 0 || off > 9007199254740991.0) {
      Napi::RangeError::New(env, "seek offset out of range").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    parser_.seek(static_cast<uint64_t>(off));
    return env.Undefined();
  }
  std::unique_ptr<argus::ChunkCompressor> compressor_;  // the `compress` option's chunk sink
  RecordingParser parser_;  // declared after the sink it holds a pointer to
};

class ParseWorker : public Napi::AsyncWorker {
 public:
  ParseWorker(Napi::Env env, ParserWrap* wrap, Napi::Object self, Napi::Value buffer, bool finish)
      : Napi::AsyncWorker(env, "argus:parse"),
        deferred_(Napi::Promise::Deferred::New(env)),
        wrap_(wrap),
        finish_(finish) {
    self_ = Napi::Persistent(self);
    if (buffer.IsTypedArray()) {
      Napi::Uint8Array arr = buffer.As<Napi::Uint8Array>();
      data_ = arr.Data();
      size_ = arr.ByteLength();
      buffer_ = Napi::Persistent(buffer.As<Napi::Object>());
    }
    wrap_->busy = true;
  }
  Napi::Promise promise() { return deferred_.Promise(); }

  void Execute() override {
    RecordingParser& p = wrap_->parser();
    status_ = finish_ ? p.finish() : p.feed(data_, size_);
    chunks_ = std::move(p.chunks());
    p.chunks().clear();
    if (argus::ChunkCompressor* z = wrap_->compressor()) {
      if (std::string err = z->takeError(); !err.empty()) {
        SetError(err);
        return;
      }
    }
    if (finish_ || !status_.ok()) summary_ = p.summary();
  }
  void OnOK() override {
    Napi::Env env = Env();
    wrap_->busy = false;
    Napi::Object out = Napi::Object::New(env);
    out.Set("chunks", chunksToJs(env, chunks_));
    if (finish_ || !status_.ok()) out.Set("summary", summaryToJs(env, summary_));
    if (!status_.ok()) {
      Napi::Object e = Napi::Object::New(env);
      e.Set("code", status_.code);
      e.Set("message", status_.message);
      e.Set("offset", Napi::Number::New(env, static_cast<double>(status_.offset)));
      out.Set("error", e);
    }
    deferred_.Resolve(out);
  }
  void OnError(const Napi::Error& err) override {
    wrap_->busy = false;
    deferred_.Reject(err.Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  ParserWrap* wrap_;
  Napi::ObjectReference self_;    // keeps the wrapper alive while we run
  Napi::ObjectReference buffer_;  // keeps the input bytes alive while we run
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  bool finish_;
  Status status_;
  std::vector<CsvChunk> chunks_;
  RecordingSummary summary_;
};

Napi::Value ParserWrap::Push(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    Napi::TypeError::New(env, "push expects a Uint8Array/Buffer").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (busy) {
    Napi::Error::New(env, "Parser is busy: await the previous push/finish").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  auto* w = new ParseWorker(env, this, info.This().As<Napi::Object>(), info[0], false);
  Napi::Promise p = w->promise();
  w->Queue();
  return p;
}

Napi::Value ParserWrap::Finish(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (busy) {
    Napi::Error::New(env, "Parser is busy: await the previous push/finish").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  auto* w = new ParseWorker(env, this, info.This().As<Napi::Object>(), env.Undefined(), true);
  Napi::Promise p = w->promise();
  w->Queue();
  return p;
}

}  // namespace

Napi::Function DefineRecordReader(Napi::Env env);  // record-reader.cc
Napi::Function DefineFileBatch(Napi::Env env);     // file-batch.cc

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Parser", ParserWrap::Define(env));
  exports.Set("RecordReader", DefineRecordReader(env));
  exports.Set("releaseChunk", Napi::Function::New(env, ReleaseChunk, "releaseChunk"));
  exports.Set("fileBatch", DefineFileBatch(env));
  return exports;
}

NODE_API_MODULE(argus_native, Init)
