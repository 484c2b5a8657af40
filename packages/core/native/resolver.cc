// getaddrinfo(3) and getnameinfo(3): the one blocking C library call the
// addon makes. The sync forms run on the calling thread (Python's blocking
// semantics); the async forms run on libuv's thread pool.
//
// A failure is returned as a number: the EAI_* code (negative), or, for
// EAI_SYSTEM, -(0x10000 + errno) so TypeScript can raise the OSError.
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

  Napi::Value ToJs(Napi::Env env) const {
    if (code != 0) return Napi::Number::New(env, code);
    Napi::Array out = Napi::Array::New(env, rows.size());
    for (size_t i = 0; i < rows.size(); i++) {
      const Row& r = rows[i];
      Napi::Array row = Napi::Array::New(env, 5);
      row.Set(0u, Napi::Number::New(env, r.family));
      row.Set(1u, Napi::Number::New(env, r.socktype));
      row.Set(2u, Napi::Number::New(env, r.protocol));
      row.Set(3u, Napi::String::New(env, r.canonname));
      row.Set(4u, Napi::Buffer<uint8_t>::Copy(env, r.addr.data(), r.addr.size()));
      out.Set(static_cast<uint32_t>(i), row);
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

  Napi::Value ToJs(Napi::Env env) const {
    if (code != 0) return Napi::Number::New(env, code);
    Napi::Array out = Napi::Array::New(env, 2);
    out.Set(0u, Napi::String::New(env, host));
    out.Set(1u, Napi::String::New(env, service));
    return out;
  }
};

// A string or null argument; a NUL inside is refused (the C call would cut it).
bool ArgOptString(const Napi::CallbackInfo& info, size_t i, const char* name, std::string* out) {
  Napi::Value v = info[i];
  if (v.IsNull() || v.IsUndefined()) return false;
  if (!v.IsString()) throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a string or null");
  *out = v.As<Napi::String>().Utf8Value();
  if (out->find('\0') != std::string::npos) {
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must not contain a null character");
  }
  return true;
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

// Runs a request on the thread pool and calls back with its result.
template <typename Req>
class Work : public Napi::AsyncWorker {
 public:
  Work(Napi::Function cb, Req req) : Napi::AsyncWorker(cb, "bsdsock.resolve"), req_(std::move(req)) {}
  void Execute() override { req_.Run(); }
  void OnOK() override {
    Napi::HandleScope scope(Env());
    Callback().Call({req_.ToJs(Env())});
  }

 private:
  Req req_;
};

Napi::Value Getaddrinfo(const Napi::CallbackInfo& info) {
  GaiRequest req;
  ParseGai(info, &req);
  req.Run();
  return req.ToJs(info.Env());
}

Napi::Value GetaddrinfoAsync(const Napi::CallbackInfo& info) {
  GaiRequest req;
  ParseGai(info, &req);
  Napi::Function cb = ArgFunction(info, 6, "callback");
  (new Work<GaiRequest>(cb, std::move(req)))->Queue();
  return info.Env().Undefined();
}

Napi::Value Getnameinfo(const Napi::CallbackInfo& info) {
  GniRequest req;
  ParseGni(info, &req);
  req.Run();
  return req.ToJs(info.Env());
}

Napi::Value GetnameinfoAsync(const Napi::CallbackInfo& info) {
  GniRequest req;
  ParseGni(info, &req);
  Napi::Function cb = ArgFunction(info, 2, "callback");
  (new Work<GniRequest>(cb, std::move(req)))->Queue();
  return info.Env().Undefined();
}

}  // namespace

void InitResolver(Napi::Env env, Napi::Object exports) {
  exports.Set("getaddrinfo", Napi::Function::New(env, Getaddrinfo, "getaddrinfo"));
  exports.Set("getaddrinfoAsync", Napi::Function::New(env, GetaddrinfoAsync, "getaddrinfoAsync"));
  exports.Set("getnameinfo", Napi::Function::New(env, Getnameinfo, "getnameinfo"));
  exports.Set("getnameinfoAsync", Napi::Function::New(env, GetnameinfoAsync, "getnameinfoAsync"));
}

}  // namespace bsdsock
