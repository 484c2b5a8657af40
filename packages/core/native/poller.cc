// Poller: one uv_poll_t watching one fd on the calling environment's own
// event loop (never uv_default_loop(), so worker threads work). The handle
// lives in its own heap block so that it can outlive the JavaScript object
// until libuv's close callback has run.
#include "addon.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

namespace bsdsock {

void ReportException(napi_env env) {
  // An exception thrown by a JavaScript callback is reported as Node reports
  // an uncaught exception from any other callback. In a terminating
  // environment there is nothing to report (the pending "exception" is the
  // termination itself): drop it.
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) != napi_ok || !pending) return;
  napi_value exc;
  if (napi_get_and_clear_last_exception(env, &exc) != napi_ok) return;
  napi_valuetype type;
  if (napi_typeof(env, exc, &type) != napi_ok || type == napi_undefined) return;
  napi_fatal_exception(env, exc);
}

class Poller : public Napi::ObjectWrap<Poller> {
 public:
  Poller(const Napi::CallbackInfo& info);
  ~Poller() override;

  // Closes the uv handle (idempotent). Used by close() and at env teardown.
  void CloseHandle();

  Napi::Value Start(const Napi::CallbackInfo& info);
  Napi::Value Stop(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value SetRef(const Napi::CallbackInfo& info);

 private:
  struct Handle {
    uv_poll_t poll;
    Poller* owner;
  };

  static void OnPoll(uv_poll_t* poll, int status, int events);
  static void OnClose(uv_handle_t* handle);
  void SetActive(bool active);

  Handle* handle_ = nullptr;
  AddonData* data_ = nullptr;
  int fd_ = -1;
  Napi::FunctionReference callback_;
  Napi::AsyncContext* async_context_ = nullptr;
  bool active_ = false;
  int32_t id_ = 0;
};

Poller::Poller(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Poller>(info) {
  Napi::Env env = info.Env();
  data_ = GetData(env);
  int fd = ArgInt(info, 0, "fd");
  Napi::Function cb = ArgFunction(info, 1, "callback");
  if (fd < 0) throw Napi::RangeError::New(env, "fd must be >= 0");
  if (data_->loop == nullptr) throw Napi::Error::New(env, "no event loop");
  handle_ = new Handle();
  handle_->owner = this;
  int r = uv_poll_init_socket(data_->loop, &handle_->poll, fd);
  if (r != 0) {
    delete handle_;
    handle_ = nullptr;
    Napi::Error e = Napi::Error::New(env, std::string("uv_poll_init: ") + uv_strerror(r));
    e.Set("errno", Napi::Number::New(env, -r));
    throw e;
  }
  fd_ = fd;
  data_->pollers.insert(this);
  callback_ = Napi::Persistent(cb);
  // An id for the deferred ref requests of OnPoll (never 0; wraps after 2**31 pollers).
  id_ = data_->next_poller_id;
  data_->next_poller_id = id_ == INT32_MAX ? 1 : id_ + 1;
  info.This().As<Napi::Object>().Set("id", Napi::Number::New(env, id_));
  async_context_ = new Napi::AsyncContext(env, "bsdsock.Poller", info.This().As<Napi::Object>());
}

Poller::~Poller() {
  CloseHandle();
  delete async_context_;
}

void Poller::SetActive(bool active) {
  if (active == active_) return;
  active_ = active;
  // While libuv watches, the JavaScript object must stay alive for the callback.
  if (active) {
    Ref();
  } else {
    Unref();
  }
}

void Poller::CloseHandle() {
  if (handle_ == nullptr) return;
  // uv_close stops the watch (epoll_ctl DEL) at once, before the fd is closed.
  handle_->owner = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(&handle_->poll), OnClose);
  handle_ = nullptr;
  if (data_ != nullptr) data_->pollers.erase(this);
}

void Poller::OnClose(uv_handle_t* handle) {
  delete reinterpret_cast<Handle*>(handle);
}

void Poller::OnPoll(uv_poll_t* poll, int status, int events) {
  Handle* h = reinterpret_cast<Handle*>(poll);
  Poller* self = h->owner;
  if (self == nullptr) return;
  int bits = 0;
  if (events & UV_READABLE) bits |= 1;
  if (events & UV_WRITABLE) bits |= 2;
  if (events & UV_DISCONNECT) bits |= 1;
  // Plain N-API calls with every status checked: in an environment being
  // torn down (a terminating worker) calls into JavaScript fail, and
  // node-addon-api's wrappers would turn that failure into a fatal error.
  napi_env env = self->Env();
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value fn, recv, argv[2], result;
  if (napi_get_reference_value(env, static_cast<napi_ref>(self->callback_), &fn) == napi_ok &&
      napi_get_reference_value(env, static_cast<napi_ref>(*self), &recv) == napi_ok &&
      fn != nullptr && recv != nullptr && napi_create_int32(env, status, &argv[0]) == napi_ok &&
      napi_create_int32(env, bits, &argv[1]) == napi_ok) {
    // MakeCallback runs the microtask queue afterwards, so promises settled
    // in the callback resume before the loop goes on. While it runs,
    // JavaScript asks for this poller's uv_ref/uv_unref through aux instead
    // of calling ref(): a round trip unrefs (the read done) and refs again
    // (the next read waits) inside one callback, two calls into the addon
    // for nothing. The last request is applied here, once.
    AddonData* d = self->data_;
    int32_t* aux = d != nullptr && d->aux_len > kAuxPollerRefRequest ? d->aux : nullptr;
    int32_t outer = 0;
    if (aux != nullptr) {
      outer = aux[kAuxPollerInCallback];
      aux[kAuxPollerInCallback] = self->id_;
      aux[kAuxPollerRefRequest] = -1;
    }
    napi_status st = napi_make_callback(env, static_cast<napi_async_context>(*self->async_context_),
                                        recv, fn, 2, argv, &result);
    if (aux != nullptr) {
      int32_t request = aux[kAuxPollerRefRequest];
      aux[kAuxPollerInCallback] = outer;
      aux[kAuxPollerRefRequest] = -1;
      // The handle may have been closed by the callback (h->owner is then null).
      if (request >= 0 && h->owner == self && self->handle_ == h) {
        uv_handle_t* uh = reinterpret_cast<uv_handle_t*>(&h->poll);
        if (request == 1) {
          uv_ref(uh);
        } else {
          uv_unref(uh);
        }
      }
    }
    if (st != napi_ok) ReportException(env);
  }
  napi_close_handle_scope(env, scope);
}

// Returns 0, or -errno when the watch cannot start (the poller or the fd is
// closed).
Napi::Value Poller::Start(const Napi::CallbackInfo& info) {
  int events = ArgInt(info, 0, "events");
  if (handle_ == nullptr) return Result(info.Env(), -EBADF);
  int uv_events = ((events & 1) ? UV_READABLE : 0) | ((events & 2) ? UV_WRITABLE : 0);
  if (uv_events == 0) {
    uv_poll_stop(&handle_->poll);
    SetActive(false);
    return Result(info.Env(), 0);
  }
  // libuv aborts the process when epoll refuses an fd: never hand it one
  // that was closed behind the socket's back.
  if (fcntl(fd_, F_GETFD) == -1) return Result(info.Env(), -errno);
  int r = uv_poll_start(&handle_->poll, uv_events, OnPoll);
  if (r != 0) return Result(info.Env(), r);
  SetActive(true);
  return Result(info.Env(), 0);
}

Napi::Value Poller::Stop(const Napi::CallbackInfo& info) {
  if (handle_ != nullptr) uv_poll_stop(&handle_->poll);
  SetActive(false);
  return info.Env().Undefined();
}

Napi::Value Poller::Close(const Napi::CallbackInfo& info) {
  CloseHandle();
  SetActive(false);
  return info.Env().Undefined();
}

// Whether the watch keeps the event loop alive (uv_ref / uv_unref): only
// while an operation waits, so an idle socket never holds the process open.
Napi::Value Poller::SetRef(const Napi::CallbackInfo& info) {
  if (handle_ != nullptr) {
    uv_handle_t* h = reinterpret_cast<uv_handle_t*>(&handle_->poll);
    if (ArgFlag(info, 0)) {
      uv_ref(h);
    } else {
      uv_unref(h);
    }
  }
  return info.Env().Undefined();
}

void InitPoller(Napi::Env env, Napi::Object exports, AddonData* data) {
  Napi::Function ctor = Poller::DefineClass(
      env, "Poller",
      {Poller::InstanceMethod<&Poller::Start>("start"), Poller::InstanceMethod<&Poller::Stop>("stop"),
       Poller::InstanceMethod<&Poller::Close>("close"),
       Poller::InstanceMethod<&Poller::SetRef>("ref")});
  data->poller_ctor = Napi::Persistent(ctor);
  exports.Set("Poller", ctor);
}

AddonData::~AddonData() {
  // The environment is going away: close every handle still open so the
  // loop can finish, and so no callback reaches a dead environment.
  auto open = pollers;
  for (Poller* p : open) p->CloseHandle();
  pollers.clear();
  for (int fd : fds) close(fd);
  fds.clear();
}

}  // namespace bsdsock
