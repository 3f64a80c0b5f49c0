// RecordReader: synchronous raw access to MCAP records for conformance work.
// Each record comes out as { type, opcode, offset, inChunk, fields } where
// fields uses the spec's snake_case names, uint64 as BigInt, bytes as Buffer.
#include <napi.h>

#include <memory>
#include <variant>

#include "core/stream-reader.h"

namespace {

namespace mcap = argus::mcap;

Napi::Value big(Napi::Env env, uint64_t v) { return Napi::BigInt::New(env, v); }
Napi::Value bytes(Napi::Env env, std::string_view b) { return Napi::Buffer<char>::Copy(env, b.data(), b.size()); }
Napi::Object strMap(Napi::Env env, const mcap::KeyValues& kv) {
  Napi::Object o = Napi::Object::New(env);
  for (const auto& [k, v] : kv) o.Set(k, v);
  return o;
}
template <typename K>
Napi::Object intMap(Napi::Env env, const std::vector<std::pair<K, uint64_t>>& kv) {
  Napi::Object o = Napi::Object::New(env);
  for (const auto& [k, v] : kv) o.Set(std::to_string(k), big(env, v));
  return o;
}

struct FieldsVisitor {
  Napi::Env env;
  Napi::Object f;
  void operator()(const mcap::Unknown& r) { f.Set("data", bytes(env, r.data)); }
  void operator()(const mcap::Header& r) { f.Set("profile", r.profile); f.Set("library", r.library); }
  void operator()(const mcap::Footer& r) {
    f.Set("summary_start", big(env, r.summaryStart));
    f.Set("summary_offset_start", big(env, r.summaryOffsetStart));
    f.Set("summary_crc", r.summaryCrc);
  }
  void operator()(const mcap::Schema& r) {
    f.Set("id", r.id); f.Set("name", r.name); f.Set("encoding", r.encoding); f.Set("data", bytes(env, r.data));
  }
  void operator()(const mcap::Channel& r) {
    f.Set("id", r.id); f.Set("schema_id", r.schemaId); f.Set("topic", r.topic);
    f.Set("message_encoding", r.messageEncoding); f.Set("metadata", strMap(env, r.metadata));
  }
  void operator()(const mcap::Message& r) {
    f.Set("channel_id", r.channelId); f.Set("sequence", r.sequence);
    f.Set("log_time", big(env, r.logTime)); f.Set("publish_time", big(env, r.publishTime));
    f.Set("data", bytes(env, r.data));
  }
  void operator()(const mcap::Chunk& r) {
    f.Set("message_start_time", big(env, r.messageStartTime)); f.Set("message_end_time", big(env, r.messageEndTime));
    f.Set("uncompressed_size", big(env, r.uncompressedSize)); f.Set("uncompressed_crc", r.uncompressedCrc);
    f.Set("compression", r.compression); f.Set("records", bytes(env, r.records));
  }
  void operator()(const mcap::MessageIndex& r) {
    f.Set("channel_id", r.channelId);
    Napi::Array a = Napi::Array::New(env, r.records.size());
    for (size_t i = 0; i < r.records.size(); ++i) {
      Napi::Array pair = Napi::Array::New(env, 2);
      pair.Set(0u, big(env, r.records[i].first));
      pair.Set(1u, big(env, r.records[i].second));
      a.Set(static_cast<uint32_t>(i), pair);
    }
    f.Set("records", a);
  }
  void operator()(const mcap::ChunkIndex& r) {
    f.Set("message_start_time", big(env, r.messageStartTime)); f.Set("message_end_time", big(env, r.messageEndTime));
    f.Set("chunk_start_offset", big(env, r.chunkStartOffset)); f.Set("chunk_length", big(env, r.chunkLength));
    f.Set("message_index_offsets", intMap(env, r.messageIndexOffsets));
    f.Set("message_index_length", big(env, r.messageIndexLength)); f.Set("compression", r.compression);
    f.Set("compressed_size", big(env, r.compressedSize)); f.Set("uncompressed_size", big(env, r.uncompressedSize));
  }
  void operator()(const mcap::Attachment& r) {
    f.Set("log_time", big(env, r.logTime)); f.Set("create_time", big(env, r.createTime));
    f.Set("name", r.name); f.Set("media_type", r.mediaType); f.Set("data", bytes(env, r.data)); f.Set("crc", r.crc);
  }
  void operator()(const mcap::AttachmentIndex& r) {
    f.Set("offset", big(env, r.offset)); f.Set("length", big(env, r.length));
    f.Set("log_time", big(env, r.logTime)); f.Set("create_time", big(env, r.createTime));
    f.Set("data_size", big(env, r.dataSize)); f.Set("name", r.name); f.Set("media_type", r.mediaType);
  }
  void operator()(const mcap::Statistics& r) {
    f.Set("message_count", big(env, r.messageCount)); f.Set("schema_count", r.schemaCount);
    f.Set("channel_count", r.channelCount); f.Set("attachment_count", r.attachmentCount);
    f.Set("metadata_count", r.metadataCount); f.Set("chunk_count", r.chunkCount);
    f.Set("message_start_time", big(env, r.messageStartTime)); f.Set("message_end_time", big(env, r.messageEndTime));
    f.Set("channel_message_counts", intMap(env, r.channelMessageCounts));
  }
  void operator()(const mcap::Metadata& r) { f.Set("name", r.name); f.Set("metadata", strMap(env, r.metadata)); }
  void operator()(const mcap::MetadataIndex& r) {
    f.Set("offset", big(env, r.offset)); f.Set("length", big(env, r.length)); f.Set("name", r.name);
  }
  void operator()(const mcap::SummaryOffset& r) {
    f.Set("group_opcode", r.groupOpcode); f.Set("group_start", big(env, r.groupStart));
    f.Set("group_length", big(env, r.groupLength));
  }
  void operator()(const mcap::DataEnd& r) { f.Set("data_section_crc", r.dataSectionCrc); }
};

class RecordReaderWrap : public Napi::ObjectWrap<RecordReaderWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "RecordReader",
                       {InstanceMethod("append", &RecordReaderWrap::Append),
                        InstanceMethod("finish", &RecordReaderWrap::Finish),
                        InstanceMethod("next", &RecordReaderWrap::Next),
                        InstanceMethod("done", &RecordReaderWrap::Done),
                        InstanceMethod("problems", &RecordReaderWrap::Problems),
                        InstanceMethod("seek", &RecordReaderWrap::Seek),
                        InstanceMethod("scan", &RecordReaderWrap::Scan)});
  }
  explicit RecordReaderWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<RecordReaderWrap>(info) {
    mcap::ReaderOptions o;
    if (info[0].IsObject()) {
      Napi::Object opts = info[0].As<Napi::Object>();
      if (opts.Get("checkCrc").IsBoolean()) o.checkCrc = opts.Get("checkCrc").As<Napi::Boolean>().Value();
      if (opts.Get("yieldChunks").IsBoolean()) o.yieldChunks = opts.Get("yieldChunks").As<Napi::Boolean>().Value();
    }
    reader_ = std::make_unique<mcap::StreamReader>(o);
  }

 private:
  Napi::Value Append(const Napi::CallbackInfo& info) {
    if (!info[0].IsTypedArray()) {
      Napi::TypeError::New(info.Env(), "append expects a Uint8Array").ThrowAsJavaScriptException();
      return info.Env().Undefined();
    }
    Napi::Uint8Array a = info[0].As<Napi::Uint8Array>();
    reader_->append(a.Data(), a.ByteLength());
    return info.Env().Undefined();
  }
  Napi::Value Finish(const Napi::CallbackInfo& info) {
    reader_->finish();
    return info.Env().Undefined();
  }
  Napi::Value Done(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), done_); }
  // seek(offset): the next appended bytes start at this absolute file offset.
  Napi::Value Seek(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!info[0].IsNumber() || info[0].As<Napi::Number>().DoubleValue() < 0 ||
        info[0].As<Napi::Number>().DoubleValue() > 9007199254740991.0) {
      Napi::RangeError::New(env, "seek expects a byte offset").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    reader_->seek(static_cast<uint64_t>(info[0].As<Napi::Number>().DoubleValue()));
    return env.Undefined();
  }
  // scan([bytes]): iterates the records available now without surfacing
  // them to JS (benchmarks); returns the number of records read. Throws on
  // fatal errors. With bytes, they are read in place (only a record they
  // leave unfinished is copied), as if appended first.
  Napi::Value Scan(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() > 0 && !info[0].IsUndefined()) {
      if (!info[0].IsTypedArray()) {
        Napi::TypeError::New(env, "scan expects a Uint8Array or nothing").ThrowAsJavaScriptException();
        return env.Undefined();
      }
      Napi::Uint8Array a = info[0].As<Napi::Uint8Array>();
      reader_->borrow(a.Data(), a.ByteLength());
      Napi::Value n = ScanAvailable(env);
      reader_->release();
      return n;
    }
    return ScanAvailable(env);
  }
  Napi::Value ScanAvailable(Napi::Env env) {
    double n = 0;
    for (;;) {
      mcap::ReadResult r = reader_->next(rec_);
      if (r == mcap::ReadResult::Record) { n += 1; continue; }
      if (r == mcap::ReadResult::Error) {
        const argus::Status& s = reader_->error();
        Napi::Error e = Napi::Error::New(env, s.message);
        e.Set("code", s.code);
        e.Set("offset", Napi::Number::New(env, static_cast<double>(s.offset)));
        e.ThrowAsJavaScriptException();
        return env.Undefined();
      }
      if (r == mcap::ReadResult::End) done_ = true;
      return Napi::Number::New(env, n);
    }
  }
  Napi::Value Problems(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    auto& ps = reader_->problems();
    Napi::Array a = Napi::Array::New(env, ps.size());
    for (size_t i = 0; i < ps.size(); ++i) {
      Napi::Object o = Napi::Object::New(env);
      o.Set("code", ps[i].code);
      o.Set("message", ps[i].message);
      o.Set("offset", Napi::Number::New(env, static_cast<double>(ps[i].offset)));
      a.Set(static_cast<uint32_t>(i), o);
    }
    ps.clear();
    return a;
  }
  // Returns the next record, or null when more bytes are needed or the
  // file is done (see done()). Throws on fatal errors (bad magic).
  Napi::Value Next(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    mcap::ReadResult r = reader_->next(rec_);
    if (r == mcap::ReadResult::Error) {
      const argus::Status& s = reader_->error();
      Napi::Error e = Napi::Error::New(env, s.message);
      e.Set("code", s.code);
      e.Set("offset", Napi::Number::New(env, static_cast<double>(s.offset)));
      e.ThrowAsJavaScriptException();
      return env.Undefined();
    }
    if (r == mcap::ReadResult::End) done_ = true;
    if (r != mcap::ReadResult::Record) return env.Null();
    Napi::Object o = Napi::Object::New(env);
    o.Set("type", mcap::opcodeName(rec_.opcode));
    o.Set("opcode", rec_.opcode);
    o.Set("offset", Napi::Number::New(env, static_cast<double>(rec_.offset)));
    o.Set("inChunk", Napi::Boolean::New(env, rec_.inChunk));
    FieldsVisitor v{env, Napi::Object::New(env)};
    std::visit(v, rec_.body);
    o.Set("fields", v.f);
    return o;
  }

  std::unique_ptr<mcap::StreamReader> reader_;
  mcap::Record rec_;
  bool done_ = false;
};

}  // namespace

Napi::Function DefineRecordReader(Napi::Env env) { return RecordReaderWrap::Define(env); }
