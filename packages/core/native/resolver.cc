// The name-service calls of the C library, the only blocking calls the addon
// makes: getaddrinfo(3) and getnameinfo(3), gethostbyname_r(3) and
// gethostbyaddr_r(3) (each with a sync form that runs on the calling thread,
// Python's blocking semantics, and an async form on libuv's thread pool),
// and the local-file lookups getservbyname_r, getservbyport_r and
// getprotobyname_r (sync only: Python treats them as quick).
//
// A failure is returned as a number: for getaddrinfo/getnameinfo the EAI_*
// code (negative), or, for EAI_SYSTEM, -(0x10000 + errno) so TypeScript can
// raise the OSError; for the gethostby* calls h_errno; -1 for the
// getservby* / getprotobyname lookups that find nothing.
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>

#include <cstring>
#include <string>
#include <vector>

#include "addon.h"

namespace bsdsock {
namespace {

constexpr int kSystemBase = 0x10000;

struct Row {
  int family, socktype, protocol;
  std::string canonname;
  std::vector<uint8_t> addr;
};

struct GaiRequest {
  bool has_host = false, has_service = false;
  std::string host, service;
  int family = 0, type = 0, proto = 0, flags = 0;
  int code = 0;
  std::vector<Row> rows;

  void Run() {
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = family;
    hints.ai_socktype = type;
    hints.ai_protocol = proto;
    hints.ai_flags = flags;
    struct addrinfo* res = nullptr;
    errno = 0;
    int r = getaddrinfo(has_host ? host.c_str() : nullptr, has_service ? service.c_str() : nullptr,
                        &hints, &res);
    if (r != 0) {
      code = (r == EAI_SYSTEM) ? -(kSystemBase + errno) : r;
      return;
    }
    for (struct addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
      Row row;
      row.family = ai->ai_family;
      row.socktype = ai->ai_socktype;
      row.protocol = ai->ai_protocol;
      if (ai->ai_canonname != nullptr) row.canonname = ai->ai_canonname;
      const uint8_t* p = reinterpret_cast<const uint8_t*>(ai->ai_addr);
      if (p != nullptr) row.addr.assign(p, p + ai->ai_addrlen);
      rows.push_back(std::move(row));
    }
    freeaddrinfo(res);
  }

  // The result as a JavaScript value, or nullptr if a call failed (with an
  // exception pending). Plain N-API so that it is safe in a terminating
  // environment.
  napi_value ToJs(napi_env env) const {
    napi_value out;
    if (code != 0) return napi_create_int32(env, code, &out) == napi_ok ? out : nullptr;
    if (napi_create_array_with_length(env, rows.size(), &out) != napi_ok) return nullptr;
    for (size_t i = 0; i < rows.size(); i++) {
      const Row& r = rows[i];
      napi_value row, v[5];
      void* data;
      if (napi_create_array_with_length(env, 5, &row) != napi_ok ||
          napi_create_int32(env, r.family, &v[0]) != napi_ok ||
          napi_create_int32(env, r.socktype, &v[1]) != napi_ok ||
          napi_create_int32(env, r.protocol, &v[2]) != napi_ok ||
          napi_create_string_utf8(env, r.canonname.data(), r.canonname.size(), &v[3]) != napi_ok ||
          napi_create_buffer_copy(env, r.addr.size(), r.addr.data(), &data, &v[4]) != napi_ok) {
        return nullptr;
      }
      for (uint32_t k = 0; k < 5; k++) {
        if (napi_set_element(env, row, k, v[k]) != napi_ok) return nullptr;
      }
      if (napi_set_element(env, out, static_cast<uint32_t>(i), row) != napi_ok) return nullptr;
    }
    return out;
  }
};

struct GniRequest {
  std::vector<uint8_t> addr;
  int flags = 0;
  int code = 0;
  std::string host, service;

  void Run() {
    char h[NI_MAXHOST];
    char s[NI_MAXSERV];
    errno = 0;
    int r = getnameinfo(reinterpret_cast<const struct sockaddr*>(addr.data()),
                        static_cast<socklen_t>(addr.size()), h, sizeof h, s, sizeof s, flags);
    if (r != 0) {
      code = (r == EAI_SYSTEM) ? -(kSystemBase + errno) : r;
      return;
    }
    host = h;
    service = s;
  }

  napi_value ToJs(napi_env env) const {
    napi_value out, h, sv;
    if (code != 0) return napi_create_int32(env, code, &out) == napi_ok ? out : nullptr;
    if (napi_create_array_with_length(env, 2, &out) != napi_ok ||
        napi_create_string_utf8(env, host.data(), host.size(), &h) != napi_ok ||
        napi_create_string_utf8(env, service.data(), service.size(), &sv) != napi_ok ||
        napi_set_element(env, out, 0, h) != napi_ok || napi_set_element(env, out, 1, sv) != napi_ok) {
      return nullptr;
    }
    return out;
  }
};

// gethostbyname_r(3) / gethostbyaddr_r(3): the hostent Python's
// gethostbyname_ex() and gethostbyaddr() return, or h_errno on failure.
struct HostentRequest {
  bool by_addr = false;
  std::string name;           // gethostbyname_r
  std::vector<uint8_t> addr;  // gethostbyaddr_r: the in_addr / in6_addr bytes
  int af = 0;
  bool found = false;
  int herr = 0;
  std::string h_name;
  std::vector<std::string> aliases;
  int addrtype = 0;
  std::vector<std::vector<uint8_t>> addrs;

  void Run() {
    std::vector<char> buf(16384);
    for (;;) {
      struct hostent he;
      struct hostent* r = nullptr;
      int e = 0;
      int rc = by_addr ? gethostbyaddr_r(addr.data(), static_cast<socklen_t>(addr.size()), af, &he,
                                         buf.data(), buf.size(), &r, &e)
                       : gethostbyname_r(name.c_str(), &he, buf.data(), buf.size(), &r, &e);
      if (rc == ERANGE && buf.size() < (size_t{1} << 24)) {
        buf.resize(buf.size() * 2);
        continue;
      }
      if (r == nullptr) {
        herr = e;
        return;
      }
      found = true;
      if (r->h_name != nullptr) h_name = r->h_name;
      for (char** p = r->h_aliases; p != nullptr && *p != nullptr; p++) aliases.emplace_back(*p);
      addrtype = r->h_addrtype;
      for (char** p = r->h_addr_list; p != nullptr && *p != nullptr; p++) {
        const uint8_t* a = reinterpret_cast<const uint8_t*>(*p);
        addrs.emplace_back(a, a + r->h_length);
      }
      return;
    }
  }

  // [h_name, aliases, h_addrtype, addresses] or the h_errno number.
  napi_value ToJs(napi_env env) const {
    napi_value out, name, list, type, addr_list;
    if (!found) return napi_create_int32(env, herr, &out) == napi_ok ? out : nullptr;
    if (napi_create_array_with_length(env, 4, &out) != napi_ok ||
        napi_create_string_utf8(env, h_name.data(), h_name.size(), &name) != napi_ok ||
        napi_create_array_with_length(env, aliases.size(), &list) != napi_ok ||
        napi_create_int32(env, addrtype, &type) != napi_ok ||
        napi_create_array_with_length(env, addrs.size(), &addr_list) != napi_ok) {
      return nullptr;
    }
    for (size_t i = 0; i < aliases.size(); i++) {
      napi_value v;
      if (napi_create_string_utf8(env, aliases[i].data(), aliases[i].size(), &v) != napi_ok ||
          napi_set_element(env, list, static_cast<uint32_t>(i), v) != napi_ok) {
        return nullptr;
      }
    }
    for (size_t i = 0; i < addrs.size(); i++) {
      napi_value v;
      void* data;
      if (napi_create_buffer_copy(env, addrs[i].size(), addrs[i].data(), &data, &v) != napi_ok ||
          napi_set_element(env, addr_list, static_cast<uint32_t>(i), v) != napi_ok) {
        return nullptr;
      }
    }
    if (napi_set_element(env, out, 0, name) != napi_ok || napi_set_element(env, out, 1, list) != napi_ok ||
        napi_set_element(env, out, 2, type) != napi_ok || napi_set_element(env, out, 3, addr_list) != napi_ok) {
      return nullptr;
    }
    return out;
  }
};

// A string (passed as UTF-8), the bytes of one (an ArrayBufferView or
// ArrayBuffer, passed byte for byte), or null; a NUL inside is refused (the
// C call would cut it).
bool ArgOptString(const Napi::CallbackInfo& info, size_t i, const char* name, std::string* out) {
  Napi::Value v = info[i];
  if (v.IsNull() || v.IsUndefined()) return false;
  if (v.IsString()) {
    *out = v.As<Napi::String>().Utf8Value();
  } else if (v.IsTypedArray() || v.IsDataView() || v.IsArrayBuffer()) {
    Bytes b = ArgBytes(info, i, name);
    out->assign(reinterpret_cast<const char*>(b.data), b.length);
  } else {
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a string, bytes or null");
  }
  if (out->find('\0') != std::string::npos) {
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must not contain a null character");
  }
  return true;
}

std::string ArgString(const Napi::CallbackInfo& info, size_t i, const char* name) {
  std::string s;
  if (!ArgOptString(info, i, name, &s)) {
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a string or bytes");
  }
  return s;
}

void ParseGai(const Napi::CallbackInfo& info, GaiRequest* req) {
  req->has_host = ArgOptString(info, 0, "host", &req->host);
  req->has_service = ArgOptString(info, 1, "service", &req->service);
  req->family = ArgInt(info, 2, "family");
  req->type = ArgInt(info, 3, "type");
  req->proto = ArgInt(info, 4, "proto");
  req->flags = ArgInt(info, 5, "flags");
}

void ParseGni(const Napi::CallbackInfo& info, GniRequest* req) {
  Bytes b = ArgBytes(info, 0, "addr");
  if (b.length > sizeof(struct sockaddr_storage)) {
    throw Napi::RangeError::New(info.Env(), "addr is longer than sockaddr_storage");
  }
  req->addr.assign(b.data, b.data + b.length);
  req->flags = ArgInt(info, 1, "flags");
}

// Runs a request on libuv's thread pool and calls back with its result.
// Plain N-API throughout: the completion may run while the environment is
// being torn down, where node-addon-api's wrappers would abort.
template <typename Req>
class Work {
 public:
  static void Queue(napi_env env, napi_value callback, Req req) {
    Work* w = new Work(std::move(req));
    napi_value name;
    if (napi_create_reference(env, callback, 1, &w->callback_) != napi_ok ||
        napi_create_string_utf8(env, "bsdsock.resolve", NAPI_AUTO_LENGTH, &name) != napi_ok ||
        napi_create_async_work(env, nullptr, name, Execute, Complete, w, &w->work_) != napi_ok ||
        napi_queue_async_work(env, w->work_) != napi_ok) {
      w->Release(env);
      throw Napi::Error::New(env, "could not queue the resolver work");
    }
  }

 private:
  explicit Work(Req req) : req_(std::move(req)) {}

  static void Execute(napi_env, void* data) { static_cast<Work*>(data)->req_.Run(); }

  static void Complete(napi_env env, napi_status status, void* data) {
    Work* w = static_cast<Work*>(data);
    if (status == napi_ok) {
      napi_handle_scope scope;
      if (napi_open_handle_scope(env, &scope) == napi_ok) {
        napi_value fn, global, result, ret;
        if (napi_get_reference_value(env, w->callback_, &fn) == napi_ok && fn != nullptr &&
            napi_get_global(env, &global) == napi_ok) {
          result = w->req_.ToJs(env);
          if (result == nullptr || napi_call_function(env, global, fn, 1, &result, &ret) != napi_ok) {
            ReportException(env);
          }
        }
        napi_close_handle_scope(env, scope);
      }
    }
    w->Release(env);
  }

  void Release(napi_env env) {
    if (work_ != nullptr) napi_delete_async_work(env, work_);
    if (callback_ != nullptr) napi_delete_reference(env, callback_);
    delete this;
  }

  Req req_;
  napi_ref callback_ = nullptr;
  napi_async_work work_ = nullptr;
};

// The result of a sync call, or a pending exception turned into a throw.
Napi::Value Checked(Napi::Env env, napi_value v) {
  if (v == nullptr) throw Napi::Error::New(env);
  return Napi::Value(env, v);
}

Napi::Value Getaddrinfo(const Napi::CallbackInfo& info) {
  GaiRequest req;
  ParseGai(info, &req);
  req.Run();
  return Checked(info.Env(), req.ToJs(info.Env()));
}

Napi::Value GetaddrinfoAsync(const Napi::CallbackInfo& info) {
  GaiRequest req;
  ParseGai(info, &req);
  Napi::Function cb = ArgFunction(info, 6, "callback");
  Work<GaiRequest>::Queue(info.Env(), cb, std::move(req));
  return info.Env().Undefined();
}

Napi::Value Getnameinfo(const Napi::CallbackInfo& info) {
  GniRequest req;
  ParseGni(info, &req);
  req.Run();
  return Checked(info.Env(), req.ToJs(info.Env()));
}

Napi::Value GetnameinfoAsync(const Napi::CallbackInfo& info) {
  GniRequest req;
  ParseGni(info, &req);
  Napi::Function cb = ArgFunction(info, 2, "callback");
  Work<GniRequest>::Queue(info.Env(), cb, std::move(req));
  return info.Env().Undefined();
}

void ParseHostByName(const Napi::CallbackInfo& info, HostentRequest* req) {
  req->name = ArgString(info, 0, "name");
}

void ParseHostByAddr(const Napi::CallbackInfo& info, HostentRequest* req) {
  Bytes b = ArgBytes(info, 0, "addr");
  req->by_addr = true;
  req->addr.assign(b.data, b.data + b.length);
  req->af = ArgInt(info, 1, "af");
}

Napi::Value GethostbynameEx(const Napi::CallbackInfo& info) {
  HostentRequest req;
  ParseHostByName(info, &req);
  req.Run();
  return Checked(info.Env(), req.ToJs(info.Env()));
}

Napi::Value GethostbynameExAsync(const Napi::CallbackInfo& info) {
  HostentRequest req;
  ParseHostByName(info, &req);
  Napi::Function cb = ArgFunction(info, 1, "callback");
  Work<HostentRequest>::Queue(info.Env(), cb, std::move(req));
  return info.Env().Undefined();
}

Napi::Value Gethostbyaddr(const Napi::CallbackInfo& info) {
  HostentRequest req;
  ParseHostByAddr(info, &req);
  req.Run();
  return Checked(info.Env(), req.ToJs(info.Env()));
}

Napi::Value GethostbyaddrAsync(const Napi::CallbackInfo& info) {
  HostentRequest req;
  ParseHostByAddr(info, &req);
  Napi::Function cb = ArgFunction(info, 2, "callback");
  Work<HostentRequest>::Queue(info.Env(), cb, std::move(req));
  return info.Env().Undefined();
}

Napi::Value Hstrerror(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), hstrerror(ArgInt(info, 0, "code")));
}

// Runs a reentrant netdb lookup (`lookup(buf, len)` returns the *_r call's
// result) with a scratch buffer that grows while the call says ERANGE.
template <typename Lookup>
void NetdbLookup(Lookup lookup) {
  std::vector<char> buf(4096);
  while (lookup(buf.data(), buf.size()) == ERANGE && buf.size() < (size_t{1} << 20)) {
    buf.resize(buf.size() * 2);
  }
}

// getservbyname_r(3): the port in host order, or -1 when not found.
Napi::Value Getservbyname(const Napi::CallbackInfo& info) {
  std::string name = ArgString(info, 0, "name");
  std::string proto;
  bool has_proto = ArgOptString(info, 1, "proto", &proto);
  int port = -1;
  NetdbLookup([&](char* buf, size_t len) {
    struct servent se;
    struct servent* r = nullptr;
    int rc = getservbyname_r(name.c_str(), has_proto ? proto.c_str() : nullptr, &se, buf, len, &r);
    if (rc == 0 && r != nullptr) port = ntohs(static_cast<uint16_t>(r->s_port));
    return rc;
  });
  return Result(info.Env(), port);
}

// getservbyport_r(3) of a port in host order: the service name, or -1 when not found.
Napi::Value Getservbyport(const Napi::CallbackInfo& info) {
  int port = ArgInt(info, 0, "port");
  std::string proto;
  bool has_proto = ArgOptString(info, 1, "proto", &proto);
  std::string name;
  bool found = false;
  NetdbLookup([&](char* buf, size_t len) {
    struct servent se;
    struct servent* r = nullptr;
    int rc = getservbyport_r(htons(static_cast<uint16_t>(port)), has_proto ? proto.c_str() : nullptr, &se,
                             buf, len, &r);
    if (rc == 0 && r != nullptr && r->s_name != nullptr) {
      name = r->s_name;
      found = true;
    }
    return rc;
  });
  if (!found) return Result(info.Env(), -1);
  return Napi::String::New(info.Env(), name);
}

// getprotobyname_r(3): the protocol number, or -1 when not found.
Napi::Value Getprotobyname(const Napi::CallbackInfo& info) {
  std::string name = ArgString(info, 0, "name");
  int proto = -1;
  NetdbLookup([&](char* buf, size_t len) {
    struct protoent pe;
    struct protoent* r = nullptr;
    int rc = getprotobyname_r(name.c_str(), &pe, buf, len, &r);
    if (rc == 0 && r != nullptr) proto = r->p_proto;
    return rc;
  });
  return Result(info.Env(), proto);
}

}  // namespace

void InitResolver(Napi::Env env, Napi::Object exports) {
  exports.Set("getaddrinfo", Napi::Function::New(env, Getaddrinfo, "getaddrinfo"));
  exports.Set("getaddrinfoAsync", Napi::Function::New(env, GetaddrinfoAsync, "getaddrinfoAsync"));
  exports.Set("getnameinfo", Napi::Function::New(env, Getnameinfo, "getnameinfo"));
  exports.Set("getnameinfoAsync", Napi::Function::New(env, GetnameinfoAsync, "getnameinfoAsync"));
  exports.Set("gethostbynameEx", Napi::Function::New(env, GethostbynameEx, "gethostbynameEx"));
  exports.Set("gethostbynameExAsync", Napi::Function::New(env, GethostbynameExAsync, "gethostbynameExAsync"));
  exports.Set("gethostbyaddr", Napi::Function::New(env, Gethostbyaddr, "gethostbyaddr"));
  exports.Set("gethostbyaddrAsync", Napi::Function::New(env, GethostbyaddrAsync, "gethostbyaddrAsync"));
  exports.Set("hstrerror", Napi::Function::New(env, Hstrerror, "hstrerror"));
  exports.Set("getservbyname", Napi::Function::New(env, Getservbyname, "getservbyname"));
  exports.Set("getservbyport", Napi::Function::New(env, Getservbyport, "getservbyport"));
  exports.Set("getprotobyname", Napi::Function::New(env, Getprotobyname, "getprotobyname"));
}

}  // namespace bsdsock
