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

}  // namespace

void InitResolver(Napi::Env env, Napi::Object exports) {
  exports.Set("getaddrinfo", Napi::Function::New(env, Getaddrinfo, "getaddrinfo"));
  exports.Set("getaddrinfoAsync", Napi::Function::New(env, GetaddrinfoAsync, "getaddrinfoAsync"));
  exports.Set("getnameinfo", Napi::Function::New(env, Getnameinfo, "getnameinfo"));
  exports.Set("getnameinfoAsync", Napi::Function::New(env, GetnameinfoAsync, "getnameinfoAsync"));
}

}  // namespace bsdsock
