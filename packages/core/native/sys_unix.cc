// The syscall layer for Linux and other POSIX systems. See sys.h for the
// conventions. This is the only file that calls the socket syscalls.
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#ifdef __linux__
#include <sys/sendfile.h>
#endif
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <climits>
#include <cmath>

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

namespace bsdsock {
namespace {

inline int64_t Fail() { return -static_cast<int64_t>(errno); }

int64_t NowNs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

// A deadline for one call: started on the first wait, so a call that
// succeeds at once never reads the clock.
class Deadline {
 public:
  explicit Deadline(double wait_ms) : wait_ms_(wait_ms) {}
  bool CanWait() const { return wait_ms_ != 0 && !std::isnan(wait_ms_); }
  bool Infinite() const { return wait_ms_ < 0; }
  // Blocking mode: the timeout a blocking syscall would have, from the
  // socket's SO_RCVTIMEO / SO_SNDTIMEO (0 there means none).
  void Resolve(int fd, int events) {
    if (wait_ms_ != kBlockingWait) return;
    wait_ms_ = -1;
    struct timeval tv = {0, 0};
    socklen_t len = sizeof tv;
    int name = (events & kWritable) ? SO_SNDTIMEO : SO_RCVTIMEO;
    if (getsockopt(fd, SOL_SOCKET, name, &tv, &len) == 0 && (tv.tv_sec > 0 || tv.tv_usec > 0)) {
      wait_ms_ = static_cast<double>(tv.tv_sec) * 1000.0 + static_cast<double>(tv.tv_usec) / 1000.0;
    }
  }
  // Nanoseconds left, starting the clock on the first call.
  int64_t RemainingNs() {
    if (!started_) {
      started_ = true;
      double ns = wait_ms_ * 1e6;
      end_ns_ = NowNs() + (ns > 9.0e18 ? INT64_MAX / 2 : static_cast<int64_t>(std::ceil(ns)));
    }
    int64_t left = end_ns_ - NowNs();
    return left > 0 ? left : 0;
  }

 private:
  double wait_ms_;
  bool started_ = false;
  int64_t end_ns_ = 0;
};

// ppoll on one fd: 1 ready (the bits in *revents), 0 timed out, -errno.
int64_t PollOnce(int fd, int events, Deadline* deadline, int* revents) {
  deadline->Resolve(fd, events);
  struct pollfd pfd;
  pfd.fd = fd;
  pfd.events = static_cast<short>(((events & kReadable) ? POLLIN : 0) |
                                  ((events & kWritable) ? POLLOUT : 0));
  pfd.revents = 0;
  for (;;) {
    int r;
    if (deadline->Infinite()) {
      r = ppoll(&pfd, 1, nullptr, nullptr);
    } else {
      int64_t left = deadline->RemainingNs();
      // Out of time: a timeout, even if the fd would poll ready. Some fds
      // poll ready while the call still fails with EAGAIN (an AF_ALG
      // operation socket before its input), and a zero-timeout ppoll
      // would report them ready forever.
      if (left == 0) return 0;
      struct timespec ts;
      ts.tv_sec = static_cast<time_t>(left / 1000000000LL);
      ts.tv_nsec = static_cast<long>(left % 1000000000LL);
      r = ppoll(&pfd, 1, &ts, nullptr);
    }
    if (r < 0) {
      if (errno == EINTR) continue;
      return Fail();
    }
    if (r == 0) return 0;
    int bits = 0;
    if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) bits |= kReadable;
    if (pfd.revents & (POLLOUT | POLLHUP | POLLERR)) bits |= kWritable;
    if (pfd.revents & POLLNVAL) return -EBADF;
    *revents = bits;
    return 1;
  }
}

inline bool WouldBlock(int e) { return e == EAGAIN || e == EWOULDBLOCK; }

// Runs `op` (a non-blocking syscall returning >= 0 or -1 with errno) until it
// succeeds, fails with something other than EAGAIN, or the wait runs out.
// initial-exec: a plain %fs-relative load, not a __tls_get_addr call per recv.
__attribute__((tls_model("initial-exec"))) thread_local bool last_call_waited = false;

template <typename Op>
int64_t Retry(int fd, int events, double wait_ms, Op op) {
  // kBlockingPollFirst: a blocking call whose previous call had to wait;
  // in request/response traffic the data is not there yet, so wait first
  // and save the syscall that would only fail with EAGAIN.
  bool poll_first = wait_ms == kBlockingPollFirst || wait_ms == kPollFirstForever;
  Deadline deadline(wait_ms == kBlockingPollFirst ? kBlockingWait : wait_ms == kPollFirstForever ? -1 : wait_ms);
  last_call_waited = false;
  if (poll_first) {
    int revents = 0;
    last_call_waited = true;
    int64_t w = PollOnce(fd, events, &deadline, &revents);
    if (w == 0) return kTimedOut;
    if (w < 0) return w;
  }
  for (;;) {
    int64_t r = op();
    if (r >= 0) return r;
    int e = errno;
    if (e == EINTR) continue;
    if (!WouldBlock(e) || !deadline.CanWait()) return -static_cast<int64_t>(e);
    int revents = 0;
    last_call_waited = true;
    int64_t w = PollOnce(fd, events, &deadline, &revents);
    if (w == 0) return kTimedOut;
    if (w < 0) return w;
  }
}

}  // namespace

bool SysLastCallWaited() { return last_call_waited; }

int64_t SysSocket(int family, int type, int proto) {
  int fd = socket(family, type | SOCK_CLOEXEC | SOCK_NONBLOCK, proto);
  return fd < 0 ? Fail() : fd;
}

int64_t SysSocketpair(int family, int type, int proto, int fds[2]) {
  int r = socketpair(family, type | SOCK_CLOEXEC | SOCK_NONBLOCK, proto, fds);
  return r < 0 ? Fail() : 0;
}

int64_t SysClose(int fd) {
  // Linux always releases the fd, even when close() reports EINTR: never retry.
  int r = close(fd);
  if (r < 0 && errno != EINTR) return Fail();
  return 0;
}

int64_t SysDup(int fd) {
  int r = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  return r < 0 ? Fail() : r;
}

int64_t SysGetCloexec(int fd) {
  int r = fcntl(fd, F_GETFD);
  if (r < 0) return Fail();
  return (r & FD_CLOEXEC) ? 1 : 0;
}

int64_t SysSetCloexec(int fd, bool on) {
  int r = fcntl(fd, F_GETFD);
  if (r < 0) return Fail();
  int want = on ? (r | FD_CLOEXEC) : (r & ~FD_CLOEXEC);
  if (want != r && fcntl(fd, F_SETFD, want) < 0) return Fail();
  return 0;
}

int64_t SysGetNonblock(int fd) {
  int r = fcntl(fd, F_GETFL);
  if (r < 0) return Fail();
  return (r & O_NONBLOCK) ? 1 : 0;
}

int64_t SysSetNonblock(int fd, bool on) {
  int r = fcntl(fd, F_GETFL);
  if (r < 0) return Fail();
  int want = on ? (r | O_NONBLOCK) : (r & ~O_NONBLOCK);
  if (want != r && fcntl(fd, F_SETFL, want) < 0) return Fail();
  return 0;
}

int64_t SysIsSocket(int fd) {
  struct stat st;
  if (fstat(fd, &st) < 0) return Fail();
  return S_ISSOCK(st.st_mode) ? 1 : 0;
}

int64_t SysBind(int fd, const void* addr, socklen_t len) {
  return bind(fd, static_cast<const struct sockaddr*>(addr), len) < 0 ? Fail() : 0;
}

int64_t SysListen(int fd, int backlog) { return listen(fd, backlog) < 0 ? Fail() : 0; }

int64_t SysConnectResult(int fd) {
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) return Fail();
  return err == 0 ? 0 : -static_cast<int64_t>(err);
}

int64_t SysConnectFinish(int fd, const void* addr, socklen_t len, bool tcp, bool settled) {
  const struct sockaddr* sa = static_cast<const struct sockaddr*>(addr);
  // A blocking connect(2) leaves the socket fully connected, so that
  // connecting again fails with EISCONN; after a non-blocking one Linux
  // completes that step only on the next connect() call.
  if (tcp) {
    // TCP (inet_stream_connect): that next connect() is also the result, in
    // one syscall: 0, the error of a refused or reset attempt (never a new
    // attempt), or EALREADY while the handshake runs. Over loopback it is
    // over by the time the first connect() returns (the SYN-ACK waits in
    // the socket's backlog until that call releases the socket), so asking
    // at once saves the wait.
    if (connect(fd, sa, len) == 0) return 0;
    int e = errno;
    if (e == EISCONN) return 0;
    if (e != EALREADY && e != EINPROGRESS && e != EINTR) return -static_cast<int64_t>(e);
    // Still running; once the fd polled writable, SO_ERROR says what there is.
    return settled ? SysConnectResult(fd) : -EALREADY;
  }
  if (!settled) return -EALREADY;
  // Other families may start a new attempt when connect() follows a failed
  // one: read the result first, and connect again only after a success.
  int64_t result = SysConnectResult(fd);
  if (result == 0) connect(fd, sa, len);
  return result;
}

int64_t SysConnect(int fd, const void* addr, socklen_t len, double wait_ms, bool tcp) {
  int r = connect(fd, static_cast<const struct sockaddr*>(addr), len);
  if (r == 0) return 0;
  int e = errno;
  // A connect interrupted by a signal goes on in the kernel: wait for its
  // result as for EINPROGRESS (PEP 475; never start a second attempt).
  if (e != EINPROGRESS && e != EINTR) return -static_cast<int64_t>(e);
  Deadline deadline(wait_ms);
  if (!deadline.CanWait()) return -static_cast<int64_t>(e == EINTR ? EINPROGRESS : e);
  if (e == EINPROGRESS) {
    int64_t now = SysConnectFinish(fd, addr, len, tcp, false);
    if (now != -EALREADY) return now;
  }
  int revents = 0;
  int64_t w = PollOnce(fd, kWritable, &deadline, &revents);
  if (w == 0) return kTimedOut;
  if (w < 0) return w;
  return SysConnectFinish(fd, addr, len, tcp, true);
}

int64_t SysAccept(int fd, void* addr, socklen_t* len, double wait_ms) {
  socklen_t cap = len != nullptr ? *len : 0;
  return Retry(fd, kReadable, wait_ms, [&]() -> int64_t {
    if (len != nullptr) *len = cap;
    return accept4(fd, static_cast<struct sockaddr*>(addr), len, SOCK_CLOEXEC | SOCK_NONBLOCK);
  });
}

int64_t SysShutdown(int fd, int how) { return shutdown(fd, how) < 0 ? Fail() : 0; }

int64_t SysGetsockname(int fd, void* addr, socklen_t* len) {
  return getsockname(fd, static_cast<struct sockaddr*>(addr), len) < 0 ? Fail() : 0;
}

int64_t SysGetpeername(int fd, void* addr, socklen_t* len) {
  return getpeername(fd, static_cast<struct sockaddr*>(addr), len) < 0 ? Fail() : 0;
}

int64_t SysGetsockopt(int fd, int level, int name, void* value, socklen_t* len) {
  return getsockopt(fd, level, name, value, len) < 0 ? Fail() : 0;
}

int64_t SysSetsockopt(int fd, int level, int name, const void* value, socklen_t len) {
  return setsockopt(fd, level, name, value, len) < 0 ? Fail() : 0;
}

int64_t SysRecv(int fd, void* buf, size_t len, int flags, double wait_ms) {
  return Retry(fd, kReadable, wait_ms, [&]() -> int64_t { return recv(fd, buf, len, flags); });
}

int64_t SysRecvfrom(int fd, void* buf, size_t len, int flags, void* addr, socklen_t* addrlen,
                    double wait_ms) {
  socklen_t cap = *addrlen;
  return Retry(fd, kReadable, wait_ms, [&]() -> int64_t {
    *addrlen = cap;
    return recvfrom(fd, buf, len, flags, static_cast<struct sockaddr*>(addr), addrlen);
  });
}

// Calls a send with MSG_NOSIGNAL added, so that a peer that has gone is
// EPIPE and never SIGPIPE (not even with a SIGPIPE listener installed). Two
// families refuse the flag before sending anything: RDS (EOPNOTSUPP) and
// QIPCRTR (EINVAL); the send is made again without it then, and they never
// raise SIGPIPE anyway.
template <typename Op>
ssize_t SendNoSignal(int flags, Op op) {
  if (MSG_NOSIGNAL == 0 || (flags & MSG_NOSIGNAL) != 0) return op(flags);
  ssize_t r = op(flags | MSG_NOSIGNAL);
  if (r < 0 && (errno == EOPNOTSUPP || errno == EINVAL)) r = op(flags);
  return r;
}

int64_t SysSend(int fd, const void* buf, size_t len, int flags, double wait_ms) {
  return Retry(fd, kWritable, wait_ms, [&]() -> int64_t {
    return SendNoSignal(flags, [&](int f) { return send(fd, buf, len, f); });
  });
}

int64_t SysSendto(int fd, const void* buf, size_t len, int flags, const void* addr,
                  socklen_t addrlen, double wait_ms) {
  return Retry(fd, kWritable, wait_ms, [&]() -> int64_t {
    return SendNoSignal(flags, [&](int f) {
      return sendto(fd, buf, len, f, static_cast<const struct sockaddr*>(addr), addrlen);
    });
  });
}

int64_t SysSendall(int fd, const void* buf, size_t len, int flags, double wait_ms, size_t* sent) {
  const char* p = static_cast<const char*>(buf);
  Deadline deadline(wait_ms);
  *sent = 0;
  while (*sent < len) {
    ssize_t r = SendNoSignal(flags, [&](int f) { return send(fd, p + *sent, len - *sent, f); });
    if (r >= 0) {
      *sent += static_cast<size_t>(r);
      continue;
    }
    int e = errno;
    if (e == EINTR) continue;
    if (!WouldBlock(e) || !deadline.CanWait()) return -static_cast<int64_t>(e);
    int revents = 0;
    int64_t w = PollOnce(fd, kWritable, &deadline, &revents);
    if (w == 0) return kTimedOut;
    if (w < 0) return w;
  }
  return static_cast<int64_t>(*sent);
}

int64_t SysRecvmsg(int fd, struct msghdr* msg, int flags, double wait_ms) {
  int added = 0;
#ifdef MSG_CMSG_CLOEXEC
  // Received fds are close-on-exec; Linux echoes the flag in msg_flags,
  // which the caller should see only if it asked for it.
  added = MSG_CMSG_CLOEXEC & ~flags;
  flags |= MSG_CMSG_CLOEXEC;
#endif
  socklen_t namelen = msg->msg_namelen;
  size_t controllen = msg->msg_controllen;
  int64_t r = Retry(fd, kReadable, wait_ms, [&]() -> int64_t {
    msg->msg_namelen = namelen;
    msg->msg_controllen = controllen;
    msg->msg_flags = 0;
    return recvmsg(fd, msg, flags);
  });
  msg->msg_flags &= ~added;
  return r;
}

int64_t SysSendmsg(int fd, const struct msghdr* msg, int flags, double wait_ms) {
  return Retry(fd, kWritable, wait_ms, [&]() -> int64_t {
    return SendNoSignal(flags, [&](int f) { return sendmsg(fd, msg, f); });
  });
}

int64_t SysSendmmsg(int fd, struct mmsghdr* msgs, unsigned int vlen, int flags, double wait_ms) {
#ifdef __linux__
  return Retry(fd, kWritable, wait_ms, [&]() -> int64_t {
    return SendNoSignal(flags, [&](int f) { return sendmmsg(fd, msgs, vlen, f); });
  });
#else
  unsigned int i = 0;
  for (; i < vlen; i++) {
    int64_t r = i == 0 ? SysSendmsg(fd, &msgs[i].msg_hdr, flags, wait_ms)
                       : SysSendmsg(fd, &msgs[i].msg_hdr, flags, 0);
    if (r < 0) return i == 0 ? r : i;
    msgs[i].msg_len = static_cast<unsigned int>(r);
  }
  return i;
#endif
}

int64_t SysRecvmmsg(int fd, struct mmsghdr* msgs, unsigned int vlen, int flags, double wait_ms) {
#ifdef __linux__
  return Retry(fd, kReadable, wait_ms,
               [&]() -> int64_t { return recvmmsg(fd, msgs, vlen, flags, nullptr); });
#else
  unsigned int i = 0;
  for (; i < vlen; i++) {
    int64_t r = SysRecvmsg(fd, &msgs[i].msg_hdr, flags, i == 0 ? wait_ms : 0);
    if (r < 0) return i == 0 ? r : i;
    msgs[i].msg_len = static_cast<unsigned int>(r);
  }
  return i;
#endif
}

int64_t SysSendfile(int out_fd, int in_fd, int64_t* offset, size_t count, double wait_ms) {
#ifndef __linux__
  return -ENOSYS;
#else
  return Retry(out_fd, kWritable, wait_ms, [&]() -> int64_t {
    off_t off = static_cast<off_t>(*offset);
    ssize_t r = sendfile(out_fd, in_fd, &off, count);
    if (r >= 0) *offset = static_cast<int64_t>(off);
    return r;
  });
#endif
}

int64_t SysWait(int fd, int events, double wait_ms) {
  Deadline deadline(wait_ms);
  int revents = 0;
  if (!deadline.CanWait()) {
    Deadline zero(1e-9);
    int64_t w = PollOnce(fd, events, &zero, &revents);
    return w == 1 ? revents : (w == 0 ? 0 : w);
  }
  int64_t w = PollOnce(fd, events, &deadline, &revents);
  if (w == 0) return kTimedOut;
  return w < 0 ? w : revents;
}

}  // namespace bsdsock
