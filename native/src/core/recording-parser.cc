#include "recording-parser.h"

#include "cell-stage.h"

#include <charconv>
#include <cstring>

namespace argus {
namespace {

constexpr size_t kMaxProblems = 1000;
constexpr uint32_t kProblemsPerTopic = 5;

// A batch is written out once it holds this many message bytes.
constexpr size_t kBatchBytes = 2u << 20;

// "log_time,publish_time,sequence" written at `p` (room for 64 bytes); returns the end.
char* writeRecordColumns(char* p, uint64_t logTime, uint64_t publishTime, uint32_t sequence) {
  char* start = p;
  p = std::to_chars(p, p + 20, logTime).ptr;
  *p++ = ',';
  if (publishTime == logTime) {  // recorders often stamp both alike: copy the digits
    size_t n = static_cast<size_t>(p - 1 - start);
    std::memcpy(p, start, n);
    p += n;
  } else {
    p = std::to_chars(p, p + 20, publishTime).ptr;
  }
  *p++ = ',';
  return std::to_chars(p, p + 10, sequence).ptr;
}

// One CSV line: the three record columns, the flattened fields, CRLF.
void appendRow(std::string& row, const Layout& layout, const ValueTree& tree, const Value& v, uint64_t logTime,
               uint64_t publishTime, uint32_t sequence) {
  char buf[64];
  row.append(buf, static_cast<size_t>(writeRecordColumns(buf, logTime, publishTime, sequence) - buf));
  layout.flatten(tree, v, row);
  row += "\r\n";
}

// The CSV line of a message whose topic layout is resolved, appended to
// `row`: written by the decoder straight from the bytes where it can (record
// columns, cells and CRLF staged and appended together), else decoded into
// `tree` and flattened. On a decode error nothing is appended.
Status writeRow(const MessageDecoder& decoder, const Layout& layout, std::string_view data, uint64_t logTime,
                uint64_t publishTime, uint32_t sequence, ValueTree& tree, std::string& row) {
  size_t start = row.size();
  Status st;
  bool direct;
  {
    CellStage stage(row);
    stage.used(writeRecordColumns(stage.room(64), logTime, publishTime, sequence));
    direct = decoder.writeRow(data, layout, stage, tree, st);
    if (direct && st.ok()) stage.put("\r\n");
  }
  if (!direct) {
    uint32_t root = 0;
    st = decoder.decode(data, tree, root);
    if (st.ok()) {
      layout.flatten(tree, tree.nodes[root], row);
      row += "\r\n";
    }
  }
  if (!st.ok()) row.resize(start);
  return st;
}

}  // namespace

bool globMatch(std::string_view p, std::string_view s) {
  // Iterative '*' matcher with backtracking to the last star: linear-ish, no recursion.
  size_t pi = 0, si = 0, star = std::string_view::npos, mark = 0;
  while (si < s.size()) {
    if (pi < p.size() && p[pi] == '*') { star = pi++; mark = si; }
    else if (pi < p.size() && p[pi] == s[si]) { ++pi; ++si; }
    else if (star != std::string_view::npos) { pi = star + 1; si = ++mark; }
    else return false;
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

RecordingParser::RecordingParser(ParseOptions opts)
    : opts_(std::move(opts)), reader_([&] {
        mcap::ReaderOptions r;
        r.checkCrc = opts_.checkCrc;
        r.yieldMessageIndexes = false;
        return r;
      }()) {
  if (opts_.chunkBytes == 0) opts_.chunkBytes = 1;
  if (opts_.threads > 1) {
    pool_ = std::make_unique<WorkPool>(opts_.threads - 1);
  }
}

void RecordingParser::addProblem(Problem p) {
  // Problems stay in file order: rows still waiting in the batch come first.
  flushRows();
  if (meta_.problems.size() < kMaxProblems) {
    meta_.problems.push_back(std::move(p));
  } else if (meta_.problems.size() == kMaxProblems) {
    meta_.problems.push_back(Problem{"TOO_MANY_PROBLEMS", "further problems were not recorded", p.offset, {}});
  }
}

void RecordingParser::topicProblem(TopicState& t, std::string code, std::string message, uint64_t offset) {
  if (t.problemsKept >= kProblemsPerTopic) return;
  ++t.problemsKept;
  addProblem(Problem{std::move(code), std::move(message), offset, t.sum.topic});
}

Status RecordingParser::feed(const uint8_t* data, size_t size) {
  bytesFed_ += size;
  // Read in place; only a record cut by the block end is copied.
  reader_.borrow(data, size);
  Status st = pump();
  if (!st.ok()) {
    flushRows();
  } else if (pool_) {
    // The rows of what was read keep being written while the caller is away
    // (batches hold copies of their messages); the next feed() or finish()
    // adds them.
    sendBatch();
  }
  reader_.release();
  return st;
}

void RecordingParser::seek(uint64_t offset) {
  seeked_ = true;
  reader_.seek(offset);
}

Status RecordingParser::finish() {
  if (finished_) return Status::Ok();
  finished_ = true;
  reader_.finish();
  Status st = pump();
  flushRows();
  if (!st.ok()) return st;
  for (auto& t : topics_) {
    if (t->csv) t->csv->flush(chunks_);
  }
  if (reader_.recordsRead() == 0) {
    return Status::Error("NO_RECORDS",
                         "no complete MCAP record could be read (file ends at offset " +
                             std::to_string(reader_.consumed()) + ")",
                         reader_.consumed());
  }
  return Status::Ok();
}

Status RecordingParser::pump() {
  for (;;) {
    mcap::ReadResult r = reader_.next(rec_);
    for (auto& p : reader_.problems()) addProblem(std::move(p));
    reader_.problems().clear();
    if (r == mcap::ReadResult::Error) return reader_.error();
    if (r != mcap::ReadResult::Record) return Status::Ok();
    switch (static_cast<mcap::Opcode>(rec_.opcode)) {
      case mcap::Opcode::Schema: {
        const auto& s = std::get<mcap::Schema>(rec_.body);
        if (s.id != 0 && !schemas_.count(s.id)) {
          schemas_.emplace(s.id, SchemaInfo{s.name, s.encoding, std::string(s.data)});
        }
        break;
      }
      case mcap::Opcode::Channel:
        onChannel(std::get<mcap::Channel>(rec_.body));
        break;
      case mcap::Opcode::Message:
        onMessage(std::get<mcap::Message>(rec_.body), rec_.offset);  // offset: record, or its chunk
        break;
      case mcap::Opcode::Metadata: {
        const auto& m = std::get<mcap::Metadata>(rec_.body);
        if (m.name == "vehicle") {
          for (const auto& kv : m.metadata) meta_.vehicle.push_back(kv);
        }
        meta_.metadata.emplace_back(m.name, m.metadata);
        break;
      }
      case mcap::Opcode::Statistics:
        for (const auto& [ch, n] : std::get<mcap::Statistics>(rec_.body).channelMessageCounts) statsCounts_[ch] = n;
        break;
      default:
        break;
    }
  }
}

void RecordingParser::onChannel(const mcap::Channel& c) {
  if (channels_.count(c.id)) return;  // summary sections repeat channels
  ChannelInfo info;
  info.schemaId = c.schemaId;
  std::string name = c.topic;
  auto it = topicIndex_.find(name);
  if (it != topicIndex_.end()) {
    TopicState& existing = *topics_[static_cast<size_t>(it->second)];
    if (existing.schemaId == c.schemaId && existing.sum.messageEncoding == c.messageEncoding) {
      info.topic = it->second;
      channels_.emplace(c.id, info);
      return;
    }
    // Same topic, different schema: its rows cannot share columns.
    name = c.topic + "#" + std::to_string(c.id);
  }
  auto t = std::make_unique<TopicState>();
  t->sum.topic = name;
  t->sum.messageEncoding = c.messageEncoding;
  t->schemaId = c.schemaId;
  auto sit = schemas_.find(c.schemaId);
  if (sit != schemas_.end()) {
    t->sum.schemaName = sit->second.name;
    t->sum.schemaEncoding = sit->second.encoding;
  }
  bool include = opts_.topics.empty();
  for (const auto& p : opts_.topics) include = include || globMatch(p, c.topic);
  for (const auto& p : opts_.excludeTopics) include = include && !globMatch(p, c.topic);
  t->sum.selected = include;
  for (const auto& [p, n] : opts_.decimate) {
    if (globMatch(p, c.topic)) t->every = n == 0 ? 1 : n;
  }
  for (const auto& [p, hz] : opts_.maxRateHz) {
    if (globMatch(p, c.topic) && hz > 0) t->minGapNs = static_cast<uint64_t>(1e9 / hz);
  }
  info.topic = static_cast<int>(topics_.size());
  topicIndex_.emplace(name, info.topic);
  channels_.emplace(c.id, info);
  topics_.push_back(std::move(t));
}

std::string RecordingParser::where() const { return where(rec_.inChunk, rec_.offset, rec_.chunkOffset); }

std::string RecordingParser::where(bool inChunk, uint64_t offset, uint64_t chunkOffset) {
  if (inChunk) {
    return "in the chunk at offset " + std::to_string(offset) + " (record at chunk offset " +
           std::to_string(chunkOffset) + ")";
  }
  return "at offset " + std::to_string(offset);
}

void RecordingParser::decodeFailed(TopicState& t, const Status& st, uint64_t offset, bool inChunk,
                                   uint64_t chunkOffset, uint64_t logTime, uint32_t sequence) {
  ++t.sum.decodeErrors;
  topicProblem(t, st.code,
               "topic " + t.sum.topic + ": message " + where(inChunk, offset, chunkOffset) + " (log_time " +
                   std::to_string(logTime) + ", sequence " + std::to_string(sequence) +
                   ") does not decode: " + st.message,
               offset);
}

void RecordingParser::writePiece(const Batch& b, unsigned piece, ValueTree& tree, RowSlice& out) const {
  out.rows.clear();
  out.ends.clear();
  out.failures.clear();
  for (size_t j = b.cut[piece]; j < b.cut[piece + 1]; ++j) {
    const RowJob& job = b.jobs[j];
    Status st = writeRow(*job.topic->decoder, job.topic->layout, std::string_view(b.data.data() + job.at, job.size),
                         job.logTime, job.publishTime, job.sequence, tree, out.rows);
    if (!st.ok()) out.failures.emplace_back(j, std::move(st));
    out.ends.push_back(out.rows.size());
  }
}

void RecordingParser::collectWritten() {
  if (!writing_) return;
  pool_->finish();
  addRows(*writing_);
  writing_ = nullptr;
}

void RecordingParser::sendBatch() {
  collectWritten();
  Batch& b = *filling_;
  if (b.jobs.empty()) return;
  // Pieces of about equal message bytes, a few per thread so that a thread
  // that also reads (the caller) takes fewer of them.
  unsigned n = pool_->width() * 4;
  if (b.jobs.size() < n) n = static_cast<unsigned>(b.jobs.size());
  b.cut.assign(n + 1, b.jobs.size());
  b.cut[0] = 0;
  size_t total = b.data.size(), k = 1;
  for (size_t j = 0; j < b.jobs.size() && k < n; ++j) {
    while (k < n && b.jobs[j].at >= total * k / n) b.cut[k++] = j;
  }
  if (b.slices.size() < n) b.slices.resize(n);
  writing_ = &b;
  filling_ = &b == &batches_[0] ? &batches_[1] : &batches_[0];
  // Each thread decodes into its own value tree.
  pool_->start(n, [this, &b](unsigned piece) {
    static thread_local ValueTree tree;
    writePiece(b, piece, tree, b.slices[piece]);
  });
}

void RecordingParser::flushRows() {
  if (!pool_ || addingRows_) return;
  sendBatch();  // adds the rows being written, starts the filled batch
  collectWritten();
}

void RecordingParser::addRows(Batch& b) {
  // Rows go to their topics in file order. A problem recorded here must not
  // flush again (the batch being added is the oldest).
  addingRows_ = true;
  for (unsigned i = 0; i + 1 < b.cut.size(); ++i) {
    RowSlice& sl = b.slices[i];
    size_t start = 0, f = 0;
    for (size_t j = b.cut[i]; j < b.cut[i + 1]; ++j) {
      const RowJob& job = b.jobs[j];
      TopicState& t = *job.topic;
      size_t end = sl.ends[j - b.cut[i]];
      if (f < sl.failures.size() && sl.failures[f].first == j) {
        decodeFailed(t, sl.failures[f].second, job.offset, job.inChunk, job.chunkOffset, job.logTime, job.sequence);
        ++f;
      } else {
        t.csv->addRow(std::string_view(sl.rows.data() + start, end - start), chunks_);
        ++t.sum.rows;
      }
      start = end;
    }
  }
  addingRows_ = false;
  b.jobs.clear();
  b.data.clear();
}

void RecordingParser::onMessage(const mcap::Message& m, uint64_t offset) {
  auto cit = channels_.find(m.channelId);
  if (cit == channels_.end()) {
    if (unknownChannelReports_++ < 5) {
      addProblem(Problem{"UNKNOWN_CHANNEL",
                         "message " + where() + " uses channel " +
                             std::to_string(m.channelId) + " that no Channel record defined",
                         offset, {}});
    }
    return;
  }
  if (m.logTime < opts_.startTime || m.logTime >= opts_.endTime) return;
  TopicState& t = *topics_[static_cast<size_t>(cit->second.topic)];
  TopicSummary& s = t.sum;
  ++s.messageCount;
  if (!t.haveTime) {
    s.firstLogTime = s.lastLogTime = m.logTime;
    t.haveTime = true;
  } else {
    if (m.logTime > s.lastLogTime && m.logTime - s.lastLogTime > s.largestGap) s.largestGap = m.logTime - s.lastLogTime;
    if (m.logTime < s.firstLogTime) s.firstLogTime = m.logTime;
    if (m.logTime > s.lastLogTime) s.lastLogTime = m.logTime;
  }
  if (!s.selected || t.decoderFailed) return;
  if (t.seen++ % t.every != 0) return;
  if (t.minGapNs != 0) {
    // Rate cap on log time; a message older than the last kept one is dropped too.
    if (m.logTime < t.nextKeepNs) return;
    t.nextKeepNs = m.logTime + t.minGapNs < m.logTime ? UINT64_MAX : m.logTime + t.minGapNs;
  }

  if (!t.decoder) {
    std::string_view name, encoding, data;
    auto sit = schemas_.find(t.schemaId);
    if (t.schemaId != 0 && sit == schemas_.end()) {
      t.decoderFailed = true;
      topicProblem(t, "UNKNOWN_SCHEMA",
                   "topic " + s.topic + ": channel uses schema " + std::to_string(t.schemaId) +
                       " that no Schema record defined",
                   offset);
      return;
    }
    if (sit != schemas_.end()) {
      name = sit->second.name;
      encoding = sit->second.encoding;
      data = sit->second.data;
      s.schemaName = sit->second.name;
      s.schemaEncoding = sit->second.encoding;
    }
    Status st;
    t.decoder = createDecoder(s.messageEncoding, name, encoding, data, st);
    if (!t.decoder) {
      t.decoderFailed = true;
      topicProblem(t, st.code, "topic " + s.topic + ": " + st.message, offset);
      return;
    }
  }
  if (pool_ && t.layout.resolved() && m.data.size() <= kBatchBytes) {
    // Parallel rows: keep a copy of the message; flushRows() writes it.
    Batch& b = *filling_;
    RowJob job;
    job.topic = &t;
    job.size = static_cast<uint32_t>(m.data.size());
    job.at = b.data.size();
    job.logTime = m.logTime;
    job.publishTime = m.publishTime;
    job.sequence = m.sequence;
    job.offset = offset;
    job.inChunk = rec_.inChunk;
    job.chunkOffset = rec_.chunkOffset;
    b.data.append(m.data);
    b.jobs.push_back(job);
    if (b.data.size() >= kBatchBytes) sendBatch();
    return;
  }
  flushRows();  // rows of this topic waiting in the batch come first
  if (t.layout.resolved()) {
    std::string& row = t.csv->beginRow();  // written in place, no per-row copy
    Status st = writeRow(*t.decoder, t.layout, m.data, m.logTime, m.publishTime, m.sequence, tree_, row);
    if (!st.ok()) {
      t.csv->cancelRow();
      decodeFailed(t, st, offset, rec_.inChunk, rec_.chunkOffset, m.logTime, m.sequence);
      return;
    }
    t.csv->endRow(chunks_);
    ++s.rows;
    return;
  }
  uint32_t root = 0;
  Status st = t.decoder->decode(m.data, tree_, root);
  if (!st.ok()) {
    decodeFailed(t, st, offset, rec_.inChunk, rec_.chunkOffset, m.logTime, m.sequence);
    return;
  }
  // The first message that decodes fixes the layout.
  const Value& v = tree_.nodes[root];
  t.layout = t.decoder->layout(tree_, v, opts_.arrayExpandLimit);
  t.layout.resolve(tree_, v);
  s.columns = t.layout.columns();
  std::vector<std::string> header = {"log_time_ns", "publish_time_ns", "sequence"};
  header.insert(header.end(), s.columns.begin(), s.columns.end());
  t.csv = std::make_unique<CsvWriter>(s.topic, opts_.chunkBytes, sink_);
  t.csv->setColumns(header);
  std::string& row = t.csv->beginRow();  // written in place, no per-row copy
  appendRow(row, t.layout, tree_, v, m.logTime, m.publishTime, m.sequence);
  t.csv->endRow(chunks_);
  ++s.rows;
}

RecordingSummary RecordingParser::summary() const {
  RecordingSummary out;
  out.vehicle = meta_.vehicle;
  out.metadata = meta_.metadata;
  out.problems = meta_.problems;
  for (const auto& t : topics_) out.topics.push_back(t->sum);
  if (seeked_ && opts_.startTime == 0 && opts_.endTime == UINT64_MAX) {
    // Indexed read: chunks of unselected topics were skipped, so their counts
    // come from the Statistics record when the file has one.
    for (const auto& [id, ch] : channels_) {
      TopicSummary& ts = out.topics[static_cast<size_t>(ch.topic)];
      auto it = statsCounts_.find(id);
      if (!ts.selected && it != statsCounts_.end()) ts.messageCount = 0;
    }
    for (const auto& [id, ch] : channels_) {
      TopicSummary& ts = out.topics[static_cast<size_t>(ch.topic)];
      auto it = statsCounts_.find(id);
      if (!ts.selected && it != statsCounts_.end()) ts.messageCount += it->second;
    }
  }
  out.truncated = reader_.truncated();
  out.bytesRead = bytesFed_;
  return out;
}

}  // namespace argus
