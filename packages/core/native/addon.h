// Per-environment state and the argument helpers shared by the addon's files.
#ifndef BSDSOCK_ADDON_H_
#define BSDSOCK_ADDON_H_

#include <napi.h>
#include <uv.h>

#include <cstdint>
#include <string>
#include <unordered_set>

namespace bsdsock {

class Poller;

// State of one Node.js environment (the main thread or one worker). Torn
// down with the environment: closes the libuv handles it still has.
struct AddonData {
  Napi::Reference<Napi::Int32Array> aux_ref;
  int32_t* aux = nullptr;
  size_t aux_len = 0;
  Napi::FunctionReference poller_ctor;
  std::unordered_set<Poller*> pollers;  // every Poller whose uv handle is open
  // Every socket fd this environment owns: closed when the environment is
  // torn down (a terminated worker leaks no socket).
  std::unordered_set<int> fds;
  uv_loop_t* loop = nullptr;
  int32_t next_poller_id = 1;
  ~AddonData();
};

AddonData* GetData(Napi::Env env);

// aux slots of the poller's deferred uv_ref/uv_unref (see Poller::OnPoll).
constexpr size_t kAuxPollerInCallback = 4;  // the id of the poller whose callback runs, or 0
constexpr size_t kAuxPollerRefRequest = 5;  // -1 none, 0 unref, 1 ref: applied after it

// Writes a secondary result to aux[i] (ignored if init() was never called).
inline void SetAux(AddonData* d, size_t i, int64_t v) {
  if (d->aux != nullptr && i < d->aux_len) d->aux[i] = static_cast<int32_t>(v);
}

// A writable or readable window of a JavaScript bytes-like value.
struct Bytes {
  uint8_t* data = nullptr;
  size_t length = 0;
};

// A failed argument check: a RangeError (`range`) or a TypeError.
struct ArgError {
  bool range = false;
  std::string message;
};

// The argument checks (addon.cc): true, or false with the error in *err.
bool ReadInt(napi_env env, napi_value v, const char* name, int32_t* out, ArgError* err);
bool ReadWait(napi_env env, napi_value v, double* out, ArgError* err);
bool ReadBytes(napi_env env, napi_value v, const char* name, Bytes* out, ArgError* err);
bool ReadWindow(napi_env env, napi_value v, napi_value offset, napi_value length, const char* name,
                Bytes* out, ArgError* err);

// The same, throwing the error (for node-addon-api callbacks).
int32_t ArgInt(const Napi::CallbackInfo& info, size_t i, const char* name);
double ArgWait(const Napi::CallbackInfo& info, size_t i);
Bytes ArgBytes(const Napi::CallbackInfo& info, size_t i, const char* name);
// A window [offset, offset + length) of argument i, range-checked.
Bytes ArgWindow(const Napi::CallbackInfo& info, size_t i, const char* name);
// A boolean argument (true, or a non-zero number). Never coerces: a
// coercion can call into JavaScript, which fails in a terminating worker.
bool ArgFlag(const Napi::CallbackInfo& info, size_t i);
Napi::Function ArgFunction(const Napi::CallbackInfo& info, size_t i, const char* name);

inline Napi::Value Result(Napi::Env env, int64_t r) {
  return Napi::Number::New(env, static_cast<double>(r));
}

// Reports the exception a failed call into JavaScript left pending (as an
// uncaught exception), or drops it when the environment is terminating.
void ReportException(napi_env env);

void InitPoller(Napi::Env env, Napi::Object exports, AddonData* data);
void InitResolver(Napi::Env env, Napi::Object exports);
void InitLayouts(Napi::Env env, Napi::Object exports);

}  // namespace bsdsock

#endif  // BSDSOCK_ADDON_H_
