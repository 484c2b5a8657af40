// The JavaScript-callable surface of the addon. Each function checks its
// arguments only as far as keeps the process safe, makes one call into the
// syscall layer (sys.h) and returns its number. Policy lives in TypeScript.
#include "addon.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <netdb.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cmath>
#include <vector>

#include "constants.h"
#include "sys.h"

#if __has_include(<linux/sockios.h>)
#include <linux/sockios.h>
#endif
#if __has_include(<linux/vm_sockets.h>)
#include <linux/vm_sockets.h>
#endif

namespace bsdsock {

AddonData* GetData(Napi::Env env) { return env.GetInstanceData<AddonData>(); }

// The argument checks, written once: each returns true, or false with the
// error to raise in *err. The Arg* helpers below throw it as a C++
// exception (node-addon-api callbacks); FastCall hands it to napi_throw_*.
bool ReadInt(napi_env env, napi_value v, const char* name, int32_t* out, ArgError* err) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) {
    *err = {false, std::string(name) + " must be a number"};
    return false;
  }
  if (!(d >= INT32_MIN && d <= INT32_MAX) || d != std::trunc(d)) {
    *err = {true, std::string(name) + " must be a 32-bit integer"};
    return false;
  }
  *out = static_cast<int32_t>(d);
  return true;
}

bool ReadWait(napi_env env, napi_value v, double* out, ArgError* err) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) {
    napi_valuetype type;
    if (napi_typeof(env, v, &type) == napi_ok && type == napi_undefined) {
      *out = 0;
      return true;
    }
    *err = {false, "waitMs must be a number"};
    return false;
  }
  if (std::isnan(d)) {
    *err = {true, "waitMs must not be NaN"};
    return false;
  }
  if (d == kBlockingWait || d == kBlockingPollFirst || d == kPollFirstForever) {
    *out = d;
  } else {
    *out = d < 0 ? -1 : d;
  }
  return true;
}

// An ArrayBufferView (a typed array, DataView or Buffer: one N-API call) or
// an ArrayBuffer.
bool ReadBytes(napi_env env, napi_value v, const char* name, Bytes* out, ArgError* err) {
  void* data = nullptr;
  size_t length = 0;
  if (napi_get_buffer_info(env, v, &data, &length) != napi_ok) {
    bool is_ab = false;
    if (napi_is_arraybuffer(env, v, &is_ab) != napi_ok || !is_ab ||
        napi_get_arraybuffer_info(env, v, &data, &length) != napi_ok) {
      *err = {false, std::string(name) + " must be an ArrayBufferView or ArrayBuffer"};
      return false;
    }
  }
  out->data = static_cast<uint8_t*>(data);
  out->length = data == nullptr ? 0 : length;  // detached
  return true;
}

// The window [offset, offset + length) of bytes `v`, range-checked.
bool ReadWindow(napi_env env, napi_value v, napi_value offset, napi_value length, const char* name,
                Bytes* out, ArgError* err) {
  int32_t off, len;
  if (!ReadBytes(env, v, name, out, err) || !ReadInt(env, offset, "offset", &off, err) ||
      !ReadInt(env, length, "length", &len, err)) {
    return false;
  }
  if (off < 0 || len < 0 || static_cast<size_t>(off) + static_cast<size_t>(len) > out->length) {
    *err = {true, std::string(name) + ": offset/length outside the buffer"};
    return false;
  }
  out->data += off;
  out->length = static_cast<size_t>(len);
  return true;
}

[[noreturn]] void ThrowArgError(Napi::Env env, const ArgError& err) {
  if (err.range) throw Napi::RangeError::New(env, err.message);
  throw Napi::TypeError::New(env, err.message);
}

int32_t ArgInt(const Napi::CallbackInfo& info, size_t i, const char* name) {
  int32_t v = 0;
  ArgError err;
  if (!ReadInt(info.Env(), info[i], name, &v, &err)) ThrowArgError(info.Env(), err);
  return v;
}

double ArgWait(const Napi::CallbackInfo& info, size_t i) {
  double v = 0;
  ArgError err;
  if (!ReadWait(info.Env(), info[i], &v, &err)) ThrowArgError(info.Env(), err);
  return v;
}

Bytes ArgBytes(const Napi::CallbackInfo& info, size_t i, const char* name) {
  Bytes b;
  ArgError err;
  if (!ReadBytes(info.Env(), info[i], name, &b, &err)) ThrowArgError(info.Env(), err);
  return b;
}

Bytes ArgWindow(const Napi::CallbackInfo& info, size_t i, const char* name) {
  Bytes b;
  ArgError err;
  if (!ReadWindow(info.Env(), info[i], info[i + 1], info[i + 2], name, &b, &err)) ThrowArgError(info.Env(), err);
  return b;
}

bool ArgFlag(const Napi::CallbackInfo& info, size_t i) {
  napi_env env = info.Env();
  napi_value v = info[i];
  napi_valuetype type;
  if (napi_typeof(env, v, &type) != napi_ok) return false;
  if (type == napi_boolean) {
    bool b = false;
    napi_get_value_bool(env, v, &b);
    return b;
  }
  if (type == napi_number) {
    double d = 0;
    napi_get_value_double(env, v, &d);
    return d != 0 && !std::isnan(d);
  }
  return false;
}

Napi::Function ArgFunction(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (!info[i].IsFunction()) {
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a function");
  }
  return info[i].As<Napi::Function>();
}

Napi::Object InitModule(Napi::Env env, Napi::Object exports);

namespace {

// A sockaddr argument: its bytes, length checked against sockaddr_storage.
struct Addr {
  const void* data;
  socklen_t len;
};

Addr ArgAddr(const Napi::CallbackInfo& info, size_t i) {
  Bytes b = ArgBytes(info, i, "addr");
  if (b.length > sizeof(struct sockaddr_storage)) {
    throw Napi::RangeError::New(info.Env(), "addr is longer than sockaddr_storage");
  }
  return Addr{b.data, static_cast<socklen_t>(b.length)};
}

// An output sockaddr buffer: must hold a sockaddr_storage.
Bytes ArgAddrOut(const Napi::CallbackInfo& info, size_t i) {
  Bytes b = ArgBytes(info, i, "addr");
  if (b.length < sizeof(struct sockaddr_storage)) {
    throw Napi::RangeError::New(info.Env(), "addr buffer is smaller than sockaddr_storage");
  }
  return b;
}

Napi::Value InitAux(const Napi::CallbackInfo& info) {
  AddonData* d = GetData(info.Env());
  if (!info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    throw Napi::TypeError::New(info.Env(), "aux must be an Int32Array");
  }
  Napi::Int32Array a = info[0].As<Napi::Int32Array>();
  // Reading the data pointer moves a small on-heap typed array off the heap,
  // so the pointer stays valid for as long as the reference holds the array.
  d->aux = a.Data();
  d->aux_len = a.ElementLength();
  d->aux_ref = Napi::Persistent(a);
  return info.Env().Undefined();
}

// Records a new fd as owned by this environment.
int64_t Own(const Napi::CallbackInfo& info, int64_t fd) {
  if (fd >= 0) GetData(info.Env())->fds.insert(static_cast<int>(fd));
  return fd;
}

Napi::Value Socket(const Napi::CallbackInfo& info) {
  return Result(info.Env(), Own(info, SysSocket(ArgInt(info, 0, "family"), ArgInt(info, 1, "type"),
                                                ArgInt(info, 2, "proto"))));
}

// An fd adopted from elsewhere (Socket with fileno) becomes owned.
Napi::Value Track(const Napi::CallbackInfo& info) {
  int fd = ArgInt(info, 0, "fd");
  if (fd >= 0) GetData(info.Env())->fds.insert(fd);
  return info.Env().Undefined();
}

// An fd given away (detach) is no longer owned.
Napi::Value Untrack(const Napi::CallbackInfo& info) {
  GetData(info.Env())->fds.erase(ArgInt(info, 0, "fd"));
  return info.Env().Undefined();
}

Napi::Value Socketpair(const Napi::CallbackInfo& info) {
  int fds[2] = {-1, -1};
  int64_t r = SysSocketpair(ArgInt(info, 0, "family"), ArgInt(info, 1, "type"),
                            ArgInt(info, 2, "proto"), fds);
  if (r == 0) {
    AddonData* d = GetData(info.Env());
    d->fds.insert(fds[0]);
    d->fds.insert(fds[1]);
    SetAux(d, 0, fds[0]);
    SetAux(d, 1, fds[1]);
  }
  return Result(info.Env(), r);
}

Napi::Value Close(const Napi::CallbackInfo& info) {
  int fd = ArgInt(info, 0, "fd");
  int64_t r = SysClose(fd);
  // close(2) releases the fd even when it reports an error (except EBADF).
  if (r != -EBADF) GetData(info.Env())->fds.erase(fd);
  return Result(info.Env(), r);
}

Napi::Value Dup(const Napi::CallbackInfo& info) {
  return Result(info.Env(), Own(info, SysDup(ArgInt(info, 0, "fd"))));
}

Napi::Value GetCloexec(const Napi::CallbackInfo& info) {
  return Result(info.Env(), SysGetCloexec(ArgInt(info, 0, "fd")));
}

Napi::Value SetCloexec(const Napi::CallbackInfo& info) {
  return Result(info.Env(), SysSetCloexec(ArgInt(info, 0, "fd"), ArgFlag(info, 1)));
}

Napi::Value GetNonblock(const Napi::CallbackInfo& info) {
  return Result(info.Env(), SysGetNonblock(ArgInt(info, 0, "fd")));
}

Napi::Value SetNonblock(const Napi::CallbackInfo& info) {
  return Result(info.Env(), SysSetNonblock(ArgInt(info, 0, "fd"), ArgFlag(info, 1)));
}

Napi::Value IsSocket(const Napi::CallbackInfo& info) {
  return Result(info.Env(), SysIsSocket(ArgInt(info, 0, "fd")));
}

Napi::Value Bind(const Napi::CallbackInfo& info) {
  int fd = ArgInt(info, 0, "fd");
  Addr a = ArgAddr(info, 1);
  return Result(info.Env(), SysBind(fd, a.data, a.len));
}

Napi::Value Listen(const Napi::CallbackInfo& info) {
  return Result(info.Env(), SysListen(ArgInt(info, 0, "fd"), ArgInt(info, 1, "backlog")));
}

Napi::Value Connect(const Napi::CallbackInfo& info) {
  int fd = ArgInt(info, 0, "fd");
  Addr a = ArgAddr(info, 1);
  return Result(info.Env(), SysConnect(fd, a.data, a.len, ArgWait(info, 2), ArgFlag(info, 3)));
}

Napi::Value ConnectFinish(const Napi::CallbackInfo& info) {
  int fd = ArgInt(info, 0, "fd");
  Addr a = ArgAddr(info, 1);
  return Result(info.Env(), SysConnectFinish(fd, a.data, a.len, ArgFlag(info, 2), ArgFlag(info, 3)));
}

Napi::Value ConnectResult(const Napi::CallbackInfo& info) {
  return Result(info.Env(), SysConnectResult(ArgInt(info, 0, "fd")));
}

// accept(fd, addr|null, waitMs?): with null, no peer address is asked for
// (AF_ALG refuses one); aux[0] is then 0.
// aux[3] tells whether the call had to wait, as for recv.
Napi::Value Accept(const Napi::CallbackInfo& info) {
  int fd = ArgInt(info, 0, "fd");
  AddonData* d = GetData(info.Env());
  if (info[1].IsNull()) {
    int64_t r = Own(info, SysAccept(fd, nullptr, nullptr, ArgWait(info, 2)));
    SetAux(d, 3, SysLastCallWaited() ? 1 : 0);
    if (r >= 0) SetAux(d, 0, 0);
    return Result(info.Env(), r);
  }
  Bytes out = ArgAddrOut(info, 1);
  socklen_t len = static_cast<socklen_t>(out.length);
  int64_t r = Own(info, SysAccept(fd, out.data, &len, ArgWait(info, 2)));
  SetAux(d, 3, SysLastCallWaited() ? 1 : 0);
  if (r >= 0) SetAux(d, 0, len);
  return Result(info.Env(), r);
}

Napi::Value Shutdown(const Napi::CallbackInfo& info) {
  return Result(info.Env(), SysShutdown(ArgInt(info, 0, "fd"), ArgInt(info, 1, "how")));
}

template <int64_t (*F)(int, void*, socklen_t*)>
Napi::Value GetName(const Napi::CallbackInfo& info) {
  int fd = ArgInt(info, 0, "fd");
  Bytes out = ArgAddrOut(info, 1);
  socklen_t len = static_cast<socklen_t>(out.length);
  int64_t r = F(fd, out.data, &len);
  if (r < 0) return Result(info.Env(), r);
  // The kernel reports the full length even when it truncated the copy.
  if (len > out.length) len = static_cast<socklen_t>(out.length);
  return Result(info.Env(), len);
}

Napi::Value GetsockoptInt(const Napi::CallbackInfo& info) {
  int fd = ArgInt(info, 0, "fd");
  int level = ArgInt(info, 1, "level");
  int name = ArgInt(info, 2, "name");
  int value = 0;
  socklen_t len = sizeof value;
  int64_t r = SysGetsockopt(fd, level, name, &value, &len);
  if (r == 0) {
    // Some options are a single byte (e.g. IP_MULTICAST_TTL may be): widen.
    if (len == 1) value = *reinterpret_cast<unsigned char*>(&value);
    SetAux(GetData(info.Env()), 0, value);
  }
  return Result(info.Env(), r);
}

Napi::Value GetsockoptBuf(const Napi::CallbackInfo& info) {
  int fd = ArgInt(info, 0, "fd");
  int level = ArgInt(info, 1, "level");
  int name = ArgInt(info, 2, "name");
  Bytes out = ArgBytes(info, 3, "out");
  socklen_t len = static_cast<socklen_t>(out.length);
  int64_t r = SysGetsockopt(fd, level, name, out.data, &len);
  if (r < 0) return Result(info.Env(), r);
  if (len > out.length) len = static_cast<socklen_t>(out.length);
  return Result(info.Env(), len);
}

Napi::Value SetsockoptInt(const Napi::CallbackInfo& info) {
  int fd = ArgInt(info, 0, "fd");
  int level = ArgInt(info, 1, "level");
  int name = ArgInt(info, 2, "name");
  int value = ArgInt(info, 3, "value");
  return Result(info.Env(), SysSetsockopt(fd, level, name, &value, sizeof value));
}

Napi::Value SetsockoptBuf(const Napi::CallbackInfo& info) {
  int fd = ArgInt(info, 0, "fd");
  int level = ArgInt(info, 1, "level");
  int name = ArgInt(info, 2, "name");
  Bytes v = ArgBytes(info, 3, "value");
  return Result(info.Env(),
                SysSetsockopt(fd, level, name, v.data, static_cast<socklen_t>(v.length)));
}

Napi::Value SetsockoptNull(const Napi::CallbackInfo& info) {
  int fd = ArgInt(info, 0, "fd");
  int level = ArgInt(info, 1, "level");
  int name = ArgInt(info, 2, "name");
  int optlen = ArgInt(info, 3, "optlen");
  if (optlen < 0) throw Napi::RangeError::New(info.Env(), "optlen must be >= 0");
  return Result(info.Env(),
                SysSetsockopt(fd, level, name, nullptr, static_cast<socklen_t>(optlen)));
}

// The hot paths: recv, recvfrom, send, sendto and sendall are plain N-API
// callbacks, one N-API call per argument, the environment's data from the
// function's own data pointer, and no C++ exceptions (node-addon-api's
// wrappers cost about a third of a small recv). Same checks as the Arg*
// helpers (the Read* functions above).
class FastCall {
 public:
  FastCall(napi_env env, napi_callback_info info) : env_(env) {
    void* data = nullptr;
    if (napi_get_cb_info(env, info, &argc_, argv_, nullptr, &data) != napi_ok) {
      failed_ = true;
      return;
    }
    data_ = static_cast<AddonData*>(data);
  }
  AddonData* data() const { return data_; }

  bool Int(size_t i, const char* name, int32_t* out) { return Check(ReadInt(env_, argv_[i], name, out, &err_)); }
  bool Wait(size_t i, double* out) { return Check(ReadWait(env_, argv_[i], out, &err_)); }

  // (fd, buf, offset, length, flags): recv, recvfrom, send, sendto, sendall.
  bool IoArgs(int32_t* fd, Bytes* b, int32_t* flags) {
    return Int(0, "fd", fd) &&
           Check(ReadWindow(env_, argv_[1], argv_[2], argv_[3], "buf", b, &err_)) && Int(4, "flags", flags);
  }

  // A sockaddr argument: one the kernel writes (`out`: room for a
  // sockaddr_storage), or one it reads (at most that long).
  bool Addr(size_t i, bool out, Bytes* b) {
    if (!Check(ReadBytes(env_, argv_[i], "addr", b, &err_))) return false;
    if (out ? b->length < sizeof(struct sockaddr_storage) : b->length > sizeof(struct sockaddr_storage)) {
      err_ = {true, out ? "addr buffer is smaller than sockaddr_storage" : "addr is longer than sockaddr_storage"};
      return Check(false);
    }
    return true;
  }

  napi_value Result(int64_t r) {
    napi_value v = nullptr;
    napi_create_double(env_, static_cast<double>(r), &v);
    return v;
  }

 private:
  // Raises the error of a failed check, once.
  bool Check(bool ok) {
    if (failed_) return false;
    if (!ok) {
      (err_.range ? napi_throw_range_error : napi_throw_type_error)(env_, nullptr, err_.message.c_str());
      failed_ = true;
    }
    return ok;
  }

  napi_env env_;
  size_t argc_ = 8;
  napi_value argv_[8];
  AddonData* data_ = nullptr;
  ArgError err_;
  bool failed_ = false;
};

// aux[3] tells whether the call had to wait (the hint for kBlockingPollFirst).
napi_value Recv(napi_env env, napi_callback_info info) {
  FastCall c(env, info);
  int32_t fd, flags;
  Bytes b;
  double wait;
  if (!c.IoArgs(&fd, &b, &flags) || !c.Wait(5, &wait)) return nullptr;
  int64_t r = SysRecv(fd, b.data, b.length, flags, wait);
  SetAux(c.data(), 3, SysLastCallWaited() ? 1 : 0);
  return c.Result(r);
}

napi_value Recvfrom(napi_env env, napi_callback_info info) {
  FastCall c(env, info);
  int32_t fd, flags;
  Bytes b, out;
  double wait;
  if (!c.IoArgs(&fd, &b, &flags) || !c.Addr(5, true, &out) || !c.Wait(6, &wait)) return nullptr;
  socklen_t len = static_cast<socklen_t>(out.length);
  int64_t r = SysRecvfrom(fd, b.data, b.length, flags, out.data, &len, wait);
  if (r >= 0) {
    if (len > out.length) len = static_cast<socklen_t>(out.length);
    SetAux(c.data(), 0, len);
  }
  return c.Result(r);
}

napi_value Send(napi_env env, napi_callback_info info) {
  FastCall c(env, info);
  int32_t fd, flags;
  Bytes b;
  double wait;
  if (!c.IoArgs(&fd, &b, &flags) || !c.Wait(5, &wait)) return nullptr;
  return c.Result(SysSend(fd, b.data, b.length, flags, wait));
}

napi_value Sendto(napi_env env, napi_callback_info info) {
  FastCall c(env, info);
  int32_t fd, flags;
  Bytes b, a;
  double wait;
  if (!c.IoArgs(&fd, &b, &flags) || !c.Addr(5, false, &a) || !c.Wait(6, &wait)) return nullptr;
  return c.Result(SysSendto(fd, b.data, b.length, flags, a.data, static_cast<socklen_t>(a.length), wait));
}

napi_value Sendall(napi_env env, napi_callback_info info) {
  FastCall c(env, info);
  int32_t fd, flags;
  Bytes b;
  double wait;
  if (!c.IoArgs(&fd, &b, &flags) || !c.Wait(5, &wait)) return nullptr;
  size_t sent = 0;
  int64_t r = SysSendall(fd, b.data, b.length, flags, wait, &sent);
  SetAux(c.data(), 0, static_cast<int64_t>(sent));
  return c.Result(r);
}

// The iovecs of a bytes-like value or an array of them (at most IOV_MAX).
// Returns false when there are more than IOV_MAX (the kernel's EMSGSIZE).
bool ArgIovecs(const Napi::CallbackInfo& info, size_t i, std::vector<struct iovec>* out) {
  Napi::Value v = info[i];
  if (v.IsArray()) {
    Napi::Array a = v.As<Napi::Array>();
    uint32_t n = a.Length();
    if (n > IOV_MAX) return false;
    out->reserve(n);
    for (uint32_t k = 0; k < n; k++) {
      Napi::Value e = a.Get(k);
      Bytes b;
      if (e.IsTypedArray()) {
        Napi::TypedArray ta = e.As<Napi::TypedArray>();
        b.data = static_cast<uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
        b.length = ta.ByteLength();
      } else if (e.IsDataView()) {
        Napi::DataView dv = e.As<Napi::DataView>();
        b.data = static_cast<uint8_t*>(dv.Data());
        b.length = dv.ByteLength();
      } else {
        throw Napi::TypeError::New(info.Env(), "buffers must be ArrayBufferViews");
      }
      if (b.data == nullptr) b.length = 0;
      out->push_back({b.data, b.length});
    }
    return true;
  }
  Bytes b = ArgBytes(info, i, "buffers");
  out->push_back({b.data, b.length});
  return true;
}

// An optional bytes argument: null/undefined is none.
bool ArgOptBytes(const Napi::CallbackInfo& info, size_t i, const char* name, Bytes* out) {
  if (info[i].IsNull() || info[i].IsUndefined()) return false;
  *out = ArgBytes(info, i, name);
  return true;
}

// recvmsg(fd, buffers, control|null, flags, addr, waitMs?): the byte count;
// aux[0] the address length, aux[1] msg_flags, aux[2] the control length.
Napi::Value Recvmsg(const Napi::CallbackInfo& info) {
  int fd = ArgInt(info, 0, "fd");
  std::vector<struct iovec> iov;
  bool fits = ArgIovecs(info, 1, &iov);
  Bytes control;
  bool has_control = ArgOptBytes(info, 2, "control", &control);
  int flags = ArgInt(info, 3, "flags");
  Bytes name = ArgAddrOut(info, 4);
  if (!fits) return Result(info.Env(), -EMSGSIZE);
  struct msghdr msg;
  memset(&msg, 0, sizeof msg);
  msg.msg_name = name.data;
  msg.msg_namelen = static_cast<socklen_t>(name.length);
  msg.msg_iov = iov.data();
  msg.msg_iovlen = iov.size();
  msg.msg_control = has_control && control.length > 0 ? control.data : nullptr;
  msg.msg_controllen = msg.msg_control != nullptr ? control.length : 0;
  int64_t r = SysRecvmsg(fd, &msg, flags, ArgWait(info, 5));
  if (r >= 0) {
    AddonData* d = GetData(info.Env());
    socklen_t namelen = msg.msg_namelen;
    if (namelen > name.length) namelen = static_cast<socklen_t>(name.length);
    SetAux(d, 0, namelen);
    SetAux(d, 1, msg.msg_flags);
    SetAux(d, 2, static_cast<int64_t>(msg.msg_control != nullptr ? msg.msg_controllen : 0));
  }
  return Result(info.Env(), r);
}

// sendmsg(fd, buffers, control|null, flags, addr|null, waitMs?): the byte count.
Napi::Value Sendmsg(const Napi::CallbackInfo& info) {
  int fd = ArgInt(info, 0, "fd");
  std::vector<struct iovec> iov;
  bool fits = ArgIovecs(info, 1, &iov);
  Bytes control;
  bool has_control = ArgOptBytes(info, 2, "control", &control);
  int flags = ArgInt(info, 3, "flags");
  if (!fits) return Result(info.Env(), -EMSGSIZE);
  Bytes name;
  bool has_name = ArgOptBytes(info, 4, "addr", &name);
  if (has_name && name.length > sizeof(struct sockaddr_storage)) {
    throw Napi::RangeError::New(info.Env(), "addr is longer than sockaddr_storage");
  }
  struct msghdr msg;
  memset(&msg, 0, sizeof msg);
  msg.msg_name = has_name && name.length > 0 ? name.data : nullptr;
  msg.msg_namelen = msg.msg_name != nullptr ? static_cast<socklen_t>(name.length) : 0;
  msg.msg_iov = iov.data();
  msg.msg_iovlen = iov.size();
  msg.msg_control = has_control && control.length > 0 ? control.data : nullptr;
  msg.msg_controllen = msg.msg_control != nullptr ? control.length : 0;
  return Result(info.Env(), SysSendmsg(fd, &msg, flags, ArgWait(info, 5)));
}

// sendmmsg(fd, datas: ArrayBufferView[], addrs: (ArrayBufferView|null)[], flags, waitMs?):
// the count of messages sent (each one buffer), or -errno.
Napi::Value Sendmmsg(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = ArgInt(info, 0, "fd");
  if (!info[1].IsArray() || !info[2].IsArray()) throw Napi::TypeError::New(env, "datas and addrs must be arrays");
  Napi::Array datas = info[1].As<Napi::Array>();
  Napi::Array addrs = info[2].As<Napi::Array>();
  uint32_t n = datas.Length();
  if (addrs.Length() != n) throw Napi::RangeError::New(env, "datas and addrs must have the same length");
  if (n > UIO_MAXIOV) throw Napi::RangeError::New(env, "at most UIO_MAXIOV messages per call");
  int flags = ArgInt(info, 3, "flags");
  std::vector<struct mmsghdr> msgs(n);
  std::vector<struct iovec> iov(n);
  for (uint32_t i = 0; i < n; i++) {
    Napi::Value d = datas.Get(i);
    Napi::Value a = addrs.Get(i);
    Bytes b;
    if (d.IsTypedArray()) {
      Napi::TypedArray ta = d.As<Napi::TypedArray>();
      b.data = static_cast<uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
      b.length = ta.ByteLength();
    } else if (d.IsDataView()) {
      Napi::DataView dv = d.As<Napi::DataView>();
      b.data = static_cast<uint8_t*>(dv.Data());
      b.length = dv.ByteLength();
    } else {
      throw Napi::TypeError::New(env, "each message must be an ArrayBufferView");
    }
    if (b.data == nullptr) b.length = 0;
    iov[i] = {b.data, b.length};
    memset(&msgs[i], 0, sizeof msgs[i]);
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
    if (!a.IsNull() && !a.IsUndefined()) {
      if (!a.IsTypedArray()) throw Napi::TypeError::New(env, "each address must be a Buffer or null");
      Napi::TypedArray ta = a.As<Napi::TypedArray>();
      size_t len = ta.ByteLength();
      if (len > sizeof(struct sockaddr_storage)) throw Napi::RangeError::New(env, "address longer than sockaddr_storage");
      msgs[i].msg_hdr.msg_name = static_cast<uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
      msgs[i].msg_hdr.msg_namelen = static_cast<socklen_t>(len);
    }
  }
  if (n == 0) return Result(env, 0);
  return Result(env, SysSendmmsg(fd, msgs.data(), n, flags, ArgWait(info, 4)));
}

// recvmmsg(fd, buf, bufsize, vlen, addrs, lens, flags, waitMs?): up to vlen
// datagrams into consecutive windows of `bufsize` bytes of `buf`, their
// addresses into consecutive sockaddr_storage slots of `addrs`; for message
// i, lens[3i] is its length, lens[3i+1] its address length, lens[3i+2] its
// msg_flags. Returns the count received, or -errno.
Napi::Value Recvmmsg(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = ArgInt(info, 0, "fd");
  Bytes buf = ArgBytes(info, 1, "buf");
  int32_t bufsize = ArgInt(info, 2, "bufsize");
  int32_t vlen = ArgInt(info, 3, "vlen");
  Bytes addrs = ArgBytes(info, 4, "addrs");
  if (!info[5].IsTypedArray() || info[5].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    throw Napi::TypeError::New(env, "lens must be an Int32Array");
  }
  Napi::Int32Array lens = info[5].As<Napi::Int32Array>();
  int flags = ArgInt(info, 6, "flags");
  if (bufsize < 0 || vlen < 0 || vlen > UIO_MAXIOV) throw Napi::RangeError::New(env, "bad bufsize or vlen");
  const size_t ss = sizeof(struct sockaddr_storage);
  if (static_cast<size_t>(bufsize) * vlen > buf.length || ss * vlen > addrs.length ||
      lens.ElementLength() < static_cast<size_t>(vlen) * 3) {
    throw Napi::RangeError::New(env, "buffers too small for vlen messages");
  }
  if (vlen == 0) return Result(env, 0);
  std::vector<struct mmsghdr> msgs(vlen);
  std::vector<struct iovec> iov(vlen);
  for (int32_t i = 0; i < vlen; i++) {
    iov[i] = {buf.data + static_cast<size_t>(bufsize) * i, static_cast<size_t>(bufsize)};
    memset(&msgs[i], 0, sizeof msgs[i]);
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
    msgs[i].msg_hdr.msg_name = addrs.data + ss * i;
    msgs[i].msg_hdr.msg_namelen = static_cast<socklen_t>(ss);
  }
  int64_t r = SysRecvmmsg(fd, msgs.data(), static_cast<unsigned int>(vlen), flags, ArgWait(info, 7));
  if (r > 0) {
    int32_t* out = lens.Data();
    for (int64_t i = 0; i < r; i++) {
      out[3 * i] = static_cast<int32_t>(msgs[i].msg_len);
      out[3 * i + 1] = static_cast<int32_t>(msgs[i].msg_hdr.msg_namelen);
      out[3 * i + 2] = msgs[i].msg_hdr.msg_flags;
    }
  }
  return Result(env, r);
}

// sendfile(outFd, inFd, offset, count, waitMs?): the bytes sent (the file
// offset advances by that much; the caller keeps track of it).
Napi::Value Sendfile(const Napi::CallbackInfo& info) {
  int out_fd = ArgInt(info, 0, "outFd");
  int in_fd = ArgInt(info, 1, "inFd");
  if (!info[2].IsNumber() || !info[3].IsNumber()) {
    throw Napi::TypeError::New(info.Env(), "offset and count must be numbers");
  }
  double off = info[2].As<Napi::Number>().DoubleValue();
  double count = info[3].As<Napi::Number>().DoubleValue();
  if (!(off >= 0 && off <= 9007199254740991.0) || off != std::trunc(off) ||
      !(count >= 0 && count <= 9007199254740991.0) || count != std::trunc(count)) {
    throw Napi::RangeError::New(info.Env(), "offset and count must be safe non-negative integers");
  }
  int64_t offset = static_cast<int64_t>(off);
  size_t n = static_cast<size_t>(count);
  if (n > 0x7ffff000) n = 0x7ffff000;  // Linux's per-call maximum
  return Result(info.Env(), SysSendfile(out_fd, in_fd, &offset, n, ArgWait(info, 4)));
}

// if_nameindex(3): [[index, name], ...], or -errno.
Napi::Value IfNameindex(const Napi::CallbackInfo& info) {
  struct if_nameindex* list = if_nameindex();
  if (list == nullptr) return Result(info.Env(), -static_cast<int64_t>(errno));
  Napi::Array out = Napi::Array::New(info.Env());
  uint32_t n = 0;
  for (struct if_nameindex* p = list; p->if_index != 0 && p->if_name != nullptr; p++) {
    Napi::Array pair = Napi::Array::New(info.Env(), 2);
    pair.Set(0u, Napi::Number::New(info.Env(), p->if_index));
    pair.Set(1u, Napi::String::New(info.Env(), p->if_name));
    out.Set(n++, pair);
  }
  if_freenameindex(list);
  return out;
}

// if_nametoindex(3): the index, or 0 when there is no such interface.
Napi::Value IfNametoindex(const Napi::CallbackInfo& info) {
  if (!info[0].IsString()) throw Napi::TypeError::New(info.Env(), "name must be a string");
  std::string name = info[0].As<Napi::String>().Utf8Value();
  if (name.find('\0') != std::string::npos) return Result(info.Env(), 0);
  return Result(info.Env(), if_nametoindex(name.c_str()));
}

// if_indextoname(3): the name, or -errno.
Napi::Value IfIndextoname(const Napi::CallbackInfo& info) {
  if (!info[0].IsNumber()) throw Napi::TypeError::New(info.Env(), "index must be a number");
  double d = info[0].As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= 4294967295.0) || d != std::trunc(d)) {
    throw Napi::RangeError::New(info.Env(), "index must be an unsigned 32-bit integer");
  }
  char buf[IF_NAMESIZE + 1];
  if (if_indextoname(static_cast<unsigned>(d), buf) == nullptr) {
    return Result(info.Env(), -static_cast<int64_t>(errno));
  }
  return Napi::String::New(info.Env(), buf);
}

// gethostname(2): the name (bytes, as the kernel keeps it), or -errno.
Napi::Value Gethostname(const Napi::CallbackInfo& info) {
  char buf[1025];
  if (gethostname(buf, sizeof buf - 1) < 0) return Result(info.Env(), -static_cast<int64_t>(errno));
  buf[sizeof buf - 1] = 0;
  return Napi::Buffer<char>::Copy(info.Env(), buf, strlen(buf));
}

// sethostname(2) with the given bytes: 0 or -errno.
Napi::Value Sethostname(const Napi::CallbackInfo& info) {
  Bytes b = ArgBytes(info, 0, "name");
  int r = sethostname(reinterpret_cast<const char*>(b.data), b.length);
  return Result(info.Env(), r < 0 ? -static_cast<int64_t>(errno) : 0);
}

// lseek(2): the new offset, or -errno.
Napi::Value Lseek(const Napi::CallbackInfo& info) {
  int fd = ArgInt(info, 0, "fd");
  if (!info[1].IsNumber()) throw Napi::TypeError::New(info.Env(), "offset must be a number");
  double off = info[1].As<Napi::Number>().DoubleValue();
  if (!(off >= -9007199254740991.0 && off <= 9007199254740991.0) || off != std::trunc(off)) {
    throw Napi::RangeError::New(info.Env(), "offset must be a safe integer");
  }
  int whence = ArgInt(info, 2, "whence");
  off_t r = lseek(fd, static_cast<off_t>(off), whence);
  return Result(info.Env(), r < 0 ? -static_cast<int64_t>(errno) : static_cast<int64_t>(r));
}

// ioctl(2) for the requests whose argument is one int the kernel writes, and
// only those (an ioctl writes as much as its request says, so an arbitrary
// request could write past any buffer given): the result (0) or -errno, the
// int in aux[0]. Any other request is -ENOTTY, as for a file that lacks it.
bool IntIoctl(unsigned long request) {
  switch (request) {
#ifdef SIOCINQ
    case SIOCINQ:
#endif
#ifdef SIOCOUTQ
    case SIOCOUTQ:
#endif
#ifdef SIOCOUTQNSD
    case SIOCOUTQNSD:
#endif
#ifdef SIOCATMARK
    case SIOCATMARK:
#endif
#ifdef IOCTL_VM_SOCKETS_GET_LOCAL_CID
    case IOCTL_VM_SOCKETS_GET_LOCAL_CID:
#endif
      return true;
    default:
      return false;
  }
}

Napi::Value IoctlInt(const Napi::CallbackInfo& info) {
  int fd = ArgInt(info, 0, "fd");
  unsigned long request = static_cast<unsigned long>(static_cast<uint32_t>(ArgInt(info, 1, "request")));
  if (!IntIoctl(request)) return Result(info.Env(), -static_cast<int64_t>(ENOTTY));
  // Room for a long, in case a platform's request writes one.
  union {
    int i;
    unsigned int u;
    long l;
  } value{};
  int r;
  do {
    r = ioctl(fd, request, &value);
  } while (r < 0 && errno == EINTR);
  if (r < 0) return Result(info.Env(), -static_cast<int64_t>(errno));
  SetAux(GetData(info.Env()), 0, value.i);
  return Result(info.Env(), 0);
}

// fstat(2): [isRegularFile (1/0), size], or -errno.
Napi::Value FileKind(const Napi::CallbackInfo& info) {
  struct stat st;
  if (fstat(ArgInt(info, 0, "fd"), &st) < 0) return Result(info.Env(), -static_cast<int64_t>(errno));
  Napi::Array out = Napi::Array::New(info.Env(), 2);
  out.Set(0u, Napi::Number::New(info.Env(), S_ISREG(st.st_mode) ? 1 : 0));
  out.Set(1u, Napi::Number::New(info.Env(), static_cast<double>(st.st_size)));
  return out;
}

Napi::Value Wait(const Napi::CallbackInfo& info) {
  int fd = ArgInt(info, 0, "fd");
  int events = ArgInt(info, 1, "events");
  return Result(info.Env(), SysWait(fd, events, ArgWait(info, 2)));
}

Napi::Value Strerror(const Napi::CallbackInfo& info) {
  int e = ArgInt(info, 0, "errno");
  char buf[256];
  // GNU strerror_r returns the message (maybe not in buf); XSI returns 0.
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
  const char* s = strerror_r(e, buf, sizeof buf);
#else
  const char* s = strerror_r(e, buf, sizeof buf) == 0 ? buf : "Unknown error";
#endif
  return Napi::String::New(info.Env(), s);
}

Napi::Value GaiStrerror(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), gai_strerror(ArgInt(info, 0, "code")));
}

// Node unloads an addon (dlclose) when the last environment that loaded it
// goes away, and libuv may still call this library's close callbacks after
// that, when a terminating worker's loop runs its closing handles. Pin the
// library in memory for the life of the process.
void PinLibrary() {
  static bool pinned = false;
  if (pinned) return;
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&PinLibrary), &info) != 0 && info.dli_fname != nullptr) {
    if (dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE) != nullptr) pinned = true;
  }
}

Napi::Object InitModuleImpl(Napi::Env env, Napi::Object exports) {
  PinLibrary();
  AddonData* data = new AddonData();
  env.SetInstanceData<AddonData>(data);
  napi_get_uv_event_loop(env, &data->loop);

  struct Fn {
    const char* name;
    Napi::Function::Callback cb;
  };
  const Fn fns[] = {
      {"init", InitAux},
      {"socket", Socket},
      {"socketpair", Socketpair},
      {"close", Close},
      {"track", Track},
      {"untrack", Untrack},
      {"dup", Dup},
      {"getCloexec", GetCloexec},
      {"setCloexec", SetCloexec},
      {"getNonblock", GetNonblock},
      {"setNonblock", SetNonblock},
      {"isSocket", IsSocket},
      {"bind", Bind},
      {"listen", Listen},
      {"connect", Connect},
      {"connectResult", ConnectResult},
      {"connectFinish", ConnectFinish},
      {"accept", Accept},
      {"shutdown", Shutdown},
      {"getsockname", GetName<SysGetsockname>},
      {"getpeername", GetName<SysGetpeername>},
      {"getsockoptInt", GetsockoptInt},
      {"getsockoptBuf", GetsockoptBuf},
      {"setsockoptInt", SetsockoptInt},
      {"setsockoptBuf", SetsockoptBuf},
      {"setsockoptNull", SetsockoptNull},
      {"wait", Wait},
      {"recvmsg", Recvmsg},
      {"sendmsg", Sendmsg},
      {"sendfile", Sendfile},
      {"sendmmsg", Sendmmsg},
      {"recvmmsg", Recvmmsg},
      {"lseek", Lseek},
      {"fileKind", FileKind},
      {"ioctlInt", IoctlInt},
      {"ifNameindex", IfNameindex},
      {"ifNametoindex", IfNametoindex},
      {"ifIndextoname", IfIndextoname},
      {"gethostname", Gethostname},
      {"sethostname", Sethostname},
      {"strerror", Strerror},
      {"gaiStrerror", GaiStrerror},
  };
  for (const Fn& f : fns) exports.Set(f.name, Napi::Function::New(env, f.cb, f.name));
  struct FastFn {
    const char* name;
    napi_callback cb;
  };
  const FastFn fast[] = {
      {"recv", Recv}, {"recvfrom", Recvfrom}, {"send", Send}, {"sendto", Sendto}, {"sendall", Sendall},
  };
  for (const FastFn& f : fast) {
    napi_value fn;
    NAPI_THROW_IF_FAILED(env, napi_create_function(env, f.name, NAPI_AUTO_LENGTH, f.cb, data, &fn), exports);
    exports.Set(f.name, Napi::Value(env, fn));
  }

  Napi::Object constants = Napi::Object::New(env);
  AddConstants(env, constants);
  exports.Set("constants", constants);
  InitLayouts(env, exports);
  InitResolver(env, exports);
  InitPoller(env, exports, data);
  return exports;
}

}  // namespace

Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return InitModuleImpl(env, exports); }

}  // namespace bsdsock

static Napi::Object InitBsdsock(Napi::Env env, Napi::Object exports) {
  return bsdsock::InitModule(env, exports);
}

NODE_API_MODULE(bsdsock, InitBsdsock)
