// fileBatch(ops): many small file operations in one task on the libuv pool.
//
// The agent's outbox keeps one file per chunk, so packing a drive opens,
// writes, renames and fsyncs a few hundred small files. Through fs/promises
// every step is its own trip to the pool and back (a thread wake-up, an
// event-loop wake-up, a promise), which cost more CPU than the syscalls
// themselves on the vehicle-class VMs we measure on. Here the whole list runs
// as plain syscalls on one pool thread, in order, and JS hears back once.
//
// Ops, in order; the first failure stops the batch and rejects with an Error
// shaped like Node's fs errors (code, errno, syscall, path), so callers treat
// ENOSPC or ENOENT as they would from fs:
//   { op: 'write', path, data: Uint8Array[] }  create or truncate, write all, close
//   { op: 'patch', path, at, data: Uint8Array, renameTo? }
//                                              overwrite bytes at `at` of an existing file,
//                                              close, then rename it if asked
//   { op: 'fsync', path }                      fsync a file or a directory
//   { op: 'append', path, at, data: Uint8Array[], evict? }
//                                              write the buffers at `at` of an existing file
//                                              (one pwritev, continued if short), fdatasync it,
//                                              and with `evict` drop those now-clean pages from
//                                              the page cache (posix_fadvise DONTNEED), close
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>
#include <uv.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <string>
#include <vector>

#include <napi.h>

namespace {

struct Bytes {
  const uint8_t* data;
  size_t size;
};

struct FileOp {
  enum class Kind { Write, Patch, Fsync, Append } kind;
  std::string path;
  std::string renameTo;  // patch only; empty: no rename
  int64_t at = 0;        // patch and append
  bool evict = false;    // append only
  std::vector<Bytes> data;
};

struct Failure {
  int err = 0;  // errno; 0: none
  const char* syscall = "";
  std::string path;
  std::string dest;  // rename's target
};

// Writes every byte of `iov` at offset `at` (pwritev), or at the file's
// position when `at` < 0 (writev); a short write continues where it stopped.
bool writeAll(int fd, std::vector<iovec>& iov, int64_t at, Failure& f) {
  size_t first = 0;
  while (first < iov.size()) {
    int count = static_cast<int>(std::min<size_t>(iov.size() - first, IOV_MAX));
    ssize_t n = at < 0 ? ::writev(fd, iov.data() + first, count) : ::pwritev(fd, iov.data() + first, count, static_cast<off_t>(at));
    if (n < 0) {
      if (errno == EINTR) continue;
      f.err = errno;
      f.syscall = "write";
      return false;
    }
    if (at >= 0) at += n;
    size_t left = static_cast<size_t>(n);
    while (first < iov.size() && left >= iov[first].iov_len) left -= iov[first++].iov_len;
    if (left > 0) {
      iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + left;
      iov[first].iov_len -= left;
    }
  }
  return true;
}

// The non-empty buffers of `data`, as iovecs.
std::vector<iovec> iovecsOf(const std::vector<Bytes>& data) {
  std::vector<iovec> iov;
  for (const Bytes& b : data)
    if (b.size > 0) iov.push_back({const_cast<uint8_t*>(b.data), b.size});
  return iov;
}

bool pwriteAll(int fd, const Bytes& b, int64_t at, Failure& f) {
  size_t done = 0;
  while (done < b.size) {
    ssize_t n = ::pwrite(fd, b.data + done, b.size - done, static_cast<off_t>(at + static_cast<int64_t>(done)));
    if (n < 0) {
      if (errno == EINTR) continue;
      f.err = errno;
      f.syscall = "write";
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

int openPath(const std::string& path, int flags, Failure& f) {
  int fd;
  do fd = ::open(path.c_str(), flags | O_CLOEXEC, 0666);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    f.err = errno;
    f.syscall = "open";
  }
  return fd;
}

// close(2) reports deferred write errors (NFS, quota): they count. EINTR
// after close has still closed the descriptor on Linux.
bool closeFd(int fd, bool ok, Failure& f) {
  if (::close(fd) != 0 && errno != EINTR && ok) {
    f.err = errno;
    f.syscall = "close";
    return false;
  }
  return ok;
}

bool runOp(const FileOp& op, Failure& f) {
  f.path = op.path;
  switch (op.kind) {
    case FileOp::Kind::Write: {
      int fd = openPath(op.path, O_WRONLY | O_CREAT | O_TRUNC, f);
      if (fd < 0) return false;
      std::vector<iovec> iov = iovecsOf(op.data);
      return closeFd(fd, writeAll(fd, iov, -1, f), f);
    }
    case FileOp::Kind::Patch: {
      int fd = openPath(op.path, O_WRONLY, f);
      if (fd < 0) return false;
      if (!closeFd(fd, pwriteAll(fd, op.data[0], op.at, f), f)) return false;
      if (op.renameTo.empty()) return true;
      if (::rename(op.path.c_str(), op.renameTo.c_str()) != 0) {
        f.err = errno;
        f.syscall = "rename";
        f.dest = op.renameTo;
        return false;
      }
      return true;
    }
    case FileOp::Kind::Append: {
      int fd = openPath(op.path, O_WRONLY, f);
      if (fd < 0) return false;
      std::vector<iovec> iov = iovecsOf(op.data);
      size_t bytes = 0;
      for (const iovec& v : iov) bytes += v.iov_len;
      bool ok = writeAll(fd, iov, op.at, f);
      if (ok && ::fdatasync(fd) != 0) {
        f.err = errno;
        f.syscall = "fdatasync";
        ok = false;
      }
      // Advice only: a failure loses nothing, so it is not reported.
      if (ok && op.evict) (void)::posix_fadvise(fd, static_cast<off_t>(op.at), static_cast<off_t>(bytes), POSIX_FADV_DONTNEED);
      return closeFd(fd, ok, f);
    }
    case FileOp::Kind::Fsync: {
      int fd = openPath(op.path, O_RDONLY, f);
      if (fd < 0) return false;
      bool ok = ::fsync(fd) == 0;
      if (!ok) {
        f.err = errno;
        f.syscall = "fsync";
      }
      return closeFd(fd, ok, f);
    }
  }
  return false;
}

class FileBatchWorker : public Napi::AsyncWorker {
 public:
  FileBatchWorker(Napi::Env env, std::vector<FileOp> parsed, std::vector<Napi::ObjectReference> keep)
      : Napi::AsyncWorker(env, "argus:fileBatch"),
        deferred_(Napi::Promise::Deferred::New(env)),
        ops_(std::move(parsed)),
        keep_(std::move(keep)) {}
  Napi::Promise promise() { return deferred_.Promise(); }

  void Execute() override {
    for (const FileOp& op : ops_)
      if (!runOp(op, failure_)) return;
    failure_.err = 0;
  }
  void OnOK() override {
    Napi::Env env = Env();
    if (failure_.err == 0) {
      deferred_.Resolve(env.Undefined());
      return;
    }
    // Node's fs error shape: "ENOSPC: no space left on device, write '/x'".
    const char* code = uv_err_name(-failure_.err);
    std::string msg = std::string(code) + ": " + uv_strerror(-failure_.err) + ", " + failure_.syscall + " '" + failure_.path + "'";
    if (!failure_.dest.empty()) msg += " -> '" + failure_.dest + "'";
    Napi::Error e = Napi::Error::New(env, msg);
    e.Set("code", code);
    e.Set("errno", Napi::Number::New(env, -failure_.err));
    e.Set("syscall", failure_.syscall);
    e.Set("path", failure_.path);
    if (!failure_.dest.empty()) e.Set("dest", failure_.dest);
    deferred_.Reject(e.Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::vector<FileOp> ops_;
  std::vector<Napi::ObjectReference> keep_;  // every buffer an op points into: alive (and in place) while we run
  Failure failure_;
};

// Reads a Uint8Array (or Buffer) and holds a reference to it in `keep`, so
// that it outlives the task even if JS drops or replaces it meanwhile.
bool bytesOf(Napi::Value v, Bytes& out, std::vector<Napi::ObjectReference>& keep) {
  if (!v.IsTypedArray()) return false;
  Napi::TypedArray t = v.As<Napi::TypedArray>();
  if (t.TypedArrayType() != napi_uint8_array) return false;
  Napi::Uint8Array a = v.As<Napi::Uint8Array>();
  out = {a.Data(), a.ByteLength()};
  keep.push_back(Napi::Persistent(v.As<Napi::Object>()));
  return true;
}

// Reads `data: Uint8Array[]` into op.data.
bool bufferList(Napi::Object o, FileOp& op, std::vector<Napi::ObjectReference>& keep) {
  Napi::Value data = o.Get("data");
  if (!data.IsArray()) return false;
  Napi::Array arr = data.As<Napi::Array>();
  for (uint32_t i = 0; i < arr.Length(); ++i) {
    Bytes b{};
    if (!bytesOf(arr.Get(i), b, keep)) return false;
    op.data.push_back(b);
  }
  return true;
}

// Reads `at`, a whole number of bytes from 0 to 2^53 - 1, into op.at.
bool byteOffset(Napi::Object o, FileOp& op) {
  Napi::Value at = o.Get("at");
  if (!at.IsNumber()) return false;
  double d = at.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= 9007199254740991.0) || d != static_cast<double>(static_cast<int64_t>(d))) return false;
  op.at = static_cast<int64_t>(d);
  return true;
}

// Reads one op; returns "" or what is wrong with it.
std::string parseOp(Napi::Value v, FileOp& op, std::vector<Napi::ObjectReference>& keep) {
  if (!v.IsObject()) return "is not an object";
  Napi::Object o = v.As<Napi::Object>();
  Napi::Value kind = o.Get("op");
  Napi::Value path = o.Get("path");
  if (!path.IsString() || path.As<Napi::String>().Utf8Value().empty()) return "has no path";
  op.path = path.As<Napi::String>().Utf8Value();
  if (op.path.find('\0') != std::string::npos) return "has a path with a NUL byte";
  std::string k = kind.IsString() ? kind.As<Napi::String>().Utf8Value() : "";
  if (k == "write") {
    op.kind = FileOp::Kind::Write;
    return bufferList(o, op, keep) ? "" : "(write) needs data: Uint8Array[]";
  }
  if (k == "patch") {
    op.kind = FileOp::Kind::Patch;
    Bytes b{};
    if (!bytesOf(o.Get("data"), b, keep)) return "(patch) needs data: Uint8Array";
    op.data.push_back(b);
    if (!byteOffset(o, op)) return "(patch) needs at: a byte offset";
    Napi::Value to = o.Get("renameTo");
    if (!to.IsUndefined()) {
      if (!to.IsString() || to.As<Napi::String>().Utf8Value().empty()) return "(patch) renameTo must be a path";
      op.renameTo = to.As<Napi::String>().Utf8Value();
      if (op.renameTo.find('\0') != std::string::npos) return "(patch) renameTo has a NUL byte";
    }
    return "";
  }
  if (k == "fsync") {
    op.kind = FileOp::Kind::Fsync;
    return "";
  }
  if (k == "append") {
    op.kind = FileOp::Kind::Append;
    if (!bufferList(o, op, keep)) return "(append) needs data: Uint8Array[]";
    if (!byteOffset(o, op)) return "(append) needs at: a byte offset";
    Napi::Value evict = o.Get("evict");
    if (!evict.IsUndefined() && !evict.IsBoolean()) return "(append) evict must be a boolean";
    op.evict = evict.IsBoolean() && evict.As<Napi::Boolean>().Value();
    return "";
  }
  return "has an unknown op (write, patch, fsync or append)";
}

Napi::Value FileBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArray()) {
    Napi::TypeError::New(env, "fileBatch expects an array of ops").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Array ops = info[0].As<Napi::Array>();
  std::vector<FileOp> parsed(ops.Length());
  std::vector<Napi::ObjectReference> keep;
  for (uint32_t i = 0; i < ops.Length(); ++i) {
    std::string why = parseOp(ops.Get(i), parsed[i], keep);
    if (!why.empty()) {
      Napi::TypeError::New(env, "fileBatch: op " + std::to_string(i) + " " + why).ThrowAsJavaScriptException();
      return env.Undefined();
    }
  }
  auto* w = new FileBatchWorker(env, std::move(parsed), std::move(keep));
  Napi::Promise p = w->promise();
  w->Queue();
  return p;
}

}  // namespace

Napi::Function DefineFileBatch(Napi::Env env) { return Napi::Function::New(env, FileBatch, "fileBatch"); }
