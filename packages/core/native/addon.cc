// The JavaScript-callable surface of the addon. Each function checks its
// arguments only as far as keeps the process safe, makes one call into the
// syscall layer (sys.h) and returns its number. Policy lives in TypeScript.
#include "addon.h"

#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>

#include "constants.h"
#include "sys.h"

namespace bsdsock {

AddonData* GetData(Napi::Env env) { return env.GetInstanceData<AddonData>(); }

int32_t ArgInt(const Napi::CallbackInfo& info, size_t i, const char* name) {
  Napi::Value v = info[i];
  if (!v.IsNumber()) {
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a number");
  }
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= INT32_MIN && d <= INT32_MAX) || d != std::trunc(d)) {
    throw Napi::RangeError::New(info.Env(), std::string(name) + " must be a 32-bit integer");
  }
  return static_cast<int32_t>(d);
}

double ArgWait(const Napi::CallbackInfo& info, size_t i) {
  if (info.Length() <= i || info[i].IsUndefined()) return 0;
  if (!info[i].IsNumber()) throw Napi::TypeError::New(info.Env(), "waitMs must be a number");
  double d = info[i].As<Napi::Number>().DoubleValue();
  if (std::isnan(d)) throw Napi::RangeError::New(info.Env(), "waitMs must not be NaN");
  if (d == kBlockingWait) return d;
  return d < 0 ? -1 : d;
}

Bytes ArgBytes(const Napi::CallbackInfo& info, size_t i, const char* name) {
  Napi::Env env = info.Env();
  Napi::Value v = info[i];
  Bytes b;
  if (v.IsTypedArray()) {
    Napi::TypedArray ta = v.As<Napi::TypedArray>();
    napi_typedarray_type type;
    size_t length;
    void* data;
    napi_value ab;
    size_t offset;
    NAPI_THROW_IF_FAILED(env, napi_get_typedarray_info(env, ta, &type, &length, &data, &ab, &offset),
                         b);
    b.data = static_cast<uint8_t*>(data);
    b.length = ta.ByteLength();
  } else if (v.IsDataView()) {
    Napi::DataView dv = v.As<Napi::DataView>();
    b.data = static_cast<uint8_t*>(dv.Data());
    b.length = dv.ByteLength();
  } else if (v.IsArrayBuffer()) {
    Napi::ArrayBuffer ab = v.As<Napi::ArrayBuffer>();
    b.data = static_cast<uint8_t*>(ab.Data());
    b.length = ab.ByteLength();
  } else {
    throw Napi::TypeError::New(env, std::string(name) + " must be an ArrayBufferView or ArrayBuffer");
  }
  if (b.data == nullptr) b.length = 0;  // detached
  return b;
}

Bytes ArgWindow(const Napi::CallbackInfo& info, size_t i, const char* name) {
  Bytes b = ArgBytes(info, i, name);
  int32_t off = ArgInt(info, i + 1, "offset");
  int32_t len = ArgInt(info, i + 2, "length");
  if (off < 0 || len < 0 || static_cast<size_t>(off) + static_cast<size_t>(len) > b.length) {
    throw Napi::RangeError::New(info.Env(), std::string(name) + ": offset/length outside the buffer");
  }
  b.data += off;
  b.length = static_cast<size_t>(len);
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
  return Result(info.Env(), SysConnect(fd, a.data, a.len, ArgWait(info, 2)));
}

Napi::Value ConnectResult(const Napi::CallbackInfo& info) {
  return Result(info.Env(), SysConnectResult(ArgInt(info, 0, "fd")));
}

Napi::Value Accept(const Napi::CallbackInfo& info) {
  int fd = ArgInt(info, 0, "fd");
  Bytes out = ArgAddrOut(info, 1);
  socklen_t len = static_cast<socklen_t>(out.length);
  int64_t r = Own(info, SysAccept(fd, out.data, &len, ArgWait(info, 2)));
  if (r >= 0) SetAux(GetData(info.Env()), 0, len);
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

Napi::Value Recv(const Napi::CallbackInfo& info) {
  int fd = ArgInt(info, 0, "fd");
  Bytes b = ArgWindow(info, 1, "buf");
  int flags = ArgInt(info, 4, "flags");
  return Result(info.Env(), SysRecv(fd, b.data, b.length, flags, ArgWait(info, 5)));
}

Napi::Value Recvfrom(const Napi::CallbackInfo& info) {
  int fd = ArgInt(info, 0, "fd");
  Bytes b = ArgWindow(info, 1, "buf");
  int flags = ArgInt(info, 4, "flags");
  Bytes out = ArgAddrOut(info, 5);
  socklen_t len = static_cast<socklen_t>(out.length);
  int64_t r = SysRecvfrom(fd, b.data, b.length, flags, out.data, &len, ArgWait(info, 6));
  if (r >= 0) {
    if (len > out.length) len = static_cast<socklen_t>(out.length);
    SetAux(GetData(info.Env()), 0, len);
  }
  return Result(info.Env(), r);
}

Napi::Value Send(const Napi::CallbackInfo& info) {
  int fd = ArgInt(info, 0, "fd");
  Bytes b = ArgWindow(info, 1, "buf");
  int flags = ArgInt(info, 4, "flags");
  return Result(info.Env(), SysSend(fd, b.data, b.length, flags, ArgWait(info, 5)));
}

Napi::Value Sendto(const Napi::CallbackInfo& info) {
  int fd = ArgInt(info, 0, "fd");
  Bytes b = ArgWindow(info, 1, "buf");
  int flags = ArgInt(info, 4, "flags");
  Addr a = ArgAddr(info, 5);
  return Result(info.Env(), SysSendto(fd, b.data, b.length, flags, a.data, a.len, ArgWait(info, 6)));
}

Napi::Value Sendall(const Napi::CallbackInfo& info) {
  int fd = ArgInt(info, 0, "fd");
  Bytes b = ArgWindow(info, 1, "buf");
  int flags = ArgInt(info, 4, "flags");
  size_t sent = 0;
  int64_t r = SysSendall(fd, b.data, b.length, flags, ArgWait(info, 5), &sent);
  SetAux(GetData(info.Env()), 0, static_cast<int64_t>(sent));
  return Result(info.Env(), r);
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
      {"accept", Accept},
      {"shutdown", Shutdown},
      {"getsockname", GetName<SysGetsockname>},
      {"getpeername", GetName<SysGetpeername>},
      {"getsockoptInt", GetsockoptInt},
      {"getsockoptBuf", GetsockoptBuf},
      {"setsockoptInt", SetsockoptInt},
      {"setsockoptBuf", SetsockoptBuf},
      {"setsockoptNull", SetsockoptNull},
      {"recv", Recv},
      {"recvfrom", Recvfrom},
      {"send", Send},
      {"sendto", Sendto},
      {"sendall", Sendall},
      {"wait", Wait},
      {"strerror", Strerror},
      {"gaiStrerror", GaiStrerror},
  };
  for (const Fn& f : fns) exports.Set(f.name, Napi::Function::New(env, f.cb, f.name));

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
