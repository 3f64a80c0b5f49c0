// RecordingParser: the whole pipeline for one recording, still without I/O.
// Bytes in (feed/finish) -> StreamReader records -> per-channel decoders ->
// flattened rows -> per-topic CSV chunks, plus a summary of the recording.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "csv-writer.h"
#include "layout.h"
#include "message-decoder.h"
#include "status.h"
#include "stream-reader.h"
#include "work-pool.h"

namespace argus {

struct ParseOptions {
  std::vector<std::string> topics;         // include list (exact or glob with '*'); empty = all
  std::vector<std::string> excludeTopics;  // exclude list, wins over include
  std::vector<std::pair<std::string, uint32_t>> decimate;  // topic (or glob) -> keep every Nth message
  // topic (or glob) -> at most this many messages per second of log time: a
  // message is kept when its log_time is at least 1/rate after the last kept
  // one (applied after `decimate`).
  std::vector<std::pair<std::string, double>> maxRateHz;
  uint32_t arrayExpandLimit = 16;
  size_t chunkBytes = 1 << 20;
  bool checkCrc = true;
  // Threads that decode messages and write rows (the calling thread counts
  // as one). With more than one, kept messages are copied into batches whose
  // rows are written in parallel and added in file order: the output is the
  // same as with one thread.
  uint32_t threads = 1;
  uint64_t startTime = 0;           // keep messages with startTime <= log_time < endTime (ns)
  uint64_t endTime = UINT64_MAX;
};

struct TopicSummary {
  std::string topic, messageEncoding, schemaName, schemaEncoding;
  uint64_t messageCount = 0;  // messages on the topic in the time range, before decimation
  uint64_t rows = 0;          // rows written
  uint64_t decodeErrors = 0;
  uint64_t firstLogTime = 0, lastLogTime = 0, largestGap = 0;
  bool selected = true;
  std::vector<std::string> columns;  // field columns after log_time_ns,publish_time_ns,sequence
};

struct RecordingSummary {
  mcap::KeyValues vehicle;
  std::vector<std::pair<std::string, mcap::KeyValues>> metadata;
  std::vector<TopicSummary> topics;
  std::vector<Problem> problems;
  bool truncated = false;
  uint64_t bytesRead = 0;  // bytes fed to the parser
};

bool globMatch(std::string_view pattern, std::string_view name);

class RecordingParser {
 public:
  explicit RecordingParser(ParseOptions opts);

  // Processes everything complete in the bytes so far. A non-OK status is
  // fatal (e.g. BAD_MAGIC); damage that still lets reading go on is a Problem.
  Status feed(const uint8_t* data, size_t size);
  // End of input: flushes the last CSV chunks. Fails when no record at all
  // could be read.
  Status finish();
  // The next fed bytes start at file `offset`: lets the shell read only the
  // chunks an index selects (see StreamReader::seek).
  void seek(uint64_t offset);

  // CSV chunks completed so far; the caller moves them out and clears.
  // With threads > 1 the rows of the last batch fed may still be being
  // written: they come out of a later feed() or finish().
  std::vector<CsvChunk>& chunks() { return chunks_; }
  // Every chunk goes through `sink` as it is completed (before it shows in
  // chunks()). Set before the first feed; the sink must outlive the parser.
  void setChunkSink(ChunkSink* sink) { sink_ = sink; }
  RecordingSummary summary() const;

 private:
  struct SchemaInfo { std::string name, encoding, data; };
  struct ChannelInfo { int topic = -1; uint16_t schemaId = 0; };
  struct TopicState {
    TopicSummary sum;
    uint16_t schemaId = 0;
    uint32_t every = 1;
    uint64_t seen = 0;
    uint64_t minGapNs = 0;    // maxRateHz as a period; 0 = no cap
    uint64_t nextKeepNs = 0;  // earliest log_time the rate cap keeps next
    bool haveTime = false;
    bool decoderFailed = false;
    std::unique_ptr<MessageDecoder> decoder;
    Layout layout;
    std::unique_ptr<CsvWriter> csv;
    uint32_t problemsKept = 0;
  };

  // A kept message waiting in a batch; its bytes are in Batch::data.
  struct RowJob {
    TopicState* topic = nullptr;  // pieces read only its decoder and layout (fixed once rows are batched)
    uint32_t size = 0;
    size_t at = 0;
    uint64_t logTime = 0, publishTime = 0, offset = 0, chunkOffset = 0;
    uint32_t sequence = 0;
    bool inChunk = false;
  };
  // Rows written for one piece of a batch.
  struct RowSlice {
    std::string rows;
    std::vector<size_t> ends;                           // end of each job's row in `rows`
    std::vector<std::pair<size_t, Status>> failures;    // (job, why) for messages that do not decode
  };
  struct Batch {
    std::string data;
    std::vector<RowJob> jobs;
    std::vector<size_t> cut;  // piece i is jobs [cut[i], cut[i+1])
    std::vector<RowSlice> slices;
  };

  Status pump();
  // Pipeline: while the pool writes one batch's rows, the reader fills the
  // next. sendBatch() starts the full one (after adding the previous one's
  // rows); flushRows() drains both, so everything so far is in the CSV.
  void sendBatch();
  void collectWritten();  // waits for the batch on the pool and adds its rows
  void flushRows();
  void addRows(Batch& b);
  void writePiece(const Batch& b, unsigned piece, ValueTree& tree, RowSlice& out) const;
  void decodeFailed(TopicState& t, const Status& st, uint64_t offset, bool inChunk, uint64_t chunkOffset,
                    uint64_t logTime, uint32_t sequence);
  void onChannel(const mcap::Channel& c);
  void onMessage(const mcap::Message& m, uint64_t offset);
  void topicProblem(TopicState& t, std::string code, std::string message, uint64_t offset);
  void addProblem(Problem p);
  std::string where() const;  // location of the current record, for messages
  static std::string where(bool inChunk, uint64_t offset, uint64_t chunkOffset);

  ParseOptions opts_;
  mcap::StreamReader reader_;
  mcap::Record rec_;
  std::unordered_map<uint16_t, SchemaInfo> schemas_;
  std::unordered_map<uint16_t, ChannelInfo> channels_;
  std::vector<std::unique_ptr<TopicState>> topics_;
  std::map<std::string, int> topicIndex_;
  std::vector<CsvChunk> chunks_;
  ChunkSink* sink_ = nullptr;
  RecordingSummary meta_;  // vehicle, metadata, problems
  ValueTree tree_;
  uint32_t unknownChannelReports_ = 0;
  bool seeked_ = false;
  std::unordered_map<uint16_t, uint64_t> statsCounts_;  // Statistics.channel_message_counts
  bool finished_ = false;
  uint64_t bytesFed_ = 0;
  // Parallel rows (threads > 1).
  Batch batches_[2];
  Batch* filling_ = &batches_[0];
  Batch* writing_ = nullptr;           // started on the pool, rows not added yet
  bool addingRows_ = false;
  std::unique_ptr<WorkPool> pool_;     // last member: destroyed first, it may still be writing
};

}  // namespace argus
