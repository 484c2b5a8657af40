// The syscall layer: plain C++ over POSIX, no N-API. Every function returns
// a non-negative result or -errno (or kTimedOut), never throws, and retries
// EINTR (PEP 475). A `wait_ms` of 0 means one non-blocking try, -1 means wait
// for readiness without limit, > 0 a total deadline in milliseconds, and
// kBlockingWait the socket's own SO_RCVTIMEO / SO_SNDTIMEO.
#ifndef BSDSOCK_SYS_H_
#define BSDSOCK_SYS_H_

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#ifndef __linux__
struct mmsghdr {
  struct msghdr msg_hdr;
  unsigned int msg_len;
};
#endif

namespace bsdsock {

// Not an errno: the wait for readiness ran out of time.
constexpr int64_t kTimedOut = -0x7fff0000;

// A wait_ms meaning "blocking mode": wait as a blocking syscall would, bounded
// by SO_RCVTIMEO (reading) or SO_SNDTIMEO (writing), read from the socket
// only when a wait is needed.
constexpr double kBlockingWait = -2;
// Blocking mode, and the previous call on this socket had to wait: wait for
// readiness before the first try.
constexpr double kBlockingPollFirst = -3;
// kBlockingPollFirst on a socket known to have no SO_RCVTIMEO/SO_SNDTIMEO
// (the caller passes -1 for kBlockingWait then): wait first, for ever,
// without reading the options.
constexpr double kPollFirstForever = -4;

// Whether the last Retry-based call on this thread waited for readiness.
bool SysLastCallWaited();

constexpr int kReadable = 1;
constexpr int kWritable = 2;

int64_t SysSocket(int family, int type, int proto);
int64_t SysSocketpair(int family, int type, int proto, int fds[2]);
int64_t SysClose(int fd);
int64_t SysDup(int fd);
int64_t SysGetCloexec(int fd);
int64_t SysSetCloexec(int fd, bool on);
int64_t SysGetNonblock(int fd);
int64_t SysSetNonblock(int fd, bool on);
int64_t SysIsSocket(int fd);

int64_t SysBind(int fd, const void* addr, socklen_t len);
int64_t SysListen(int fd, int backlog);
// `tcp`: the socket is TCP (AF_INET/AF_INET6 SOCK_STREAM), whose result a
// second connect() reports.
int64_t SysConnect(int fd, const void* addr, socklen_t len, double wait_ms, bool tcp);
int64_t SysConnectResult(int fd);
// The end of a non-blocking connect: its result, fully connected as after a
// blocking connect (see sys_unix.cc). `settled`: the fd polled writable;
// before that, -EALREADY means the attempt still runs (always so for
// non-TCP sockets, which must wait).
int64_t SysConnectFinish(int fd, const void* addr, socklen_t len, bool tcp, bool settled);
int64_t SysAccept(int fd, void* addr, socklen_t* len, double wait_ms);
int64_t SysShutdown(int fd, int how);
int64_t SysGetsockname(int fd, void* addr, socklen_t* len);
int64_t SysGetpeername(int fd, void* addr, socklen_t* len);
int64_t SysGetsockopt(int fd, int level, int name, void* value, socklen_t* len);
int64_t SysSetsockopt(int fd, int level, int name, const void* value, socklen_t len);

int64_t SysRecv(int fd, void* buf, size_t len, int flags, double wait_ms);
int64_t SysRecvfrom(int fd, void* buf, size_t len, int flags, void* addr, socklen_t* addrlen,
                    double wait_ms);
int64_t SysSend(int fd, const void* buf, size_t len, int flags, double wait_ms);
int64_t SysSendto(int fd, const void* buf, size_t len, int flags, const void* addr,
                  socklen_t addrlen, double wait_ms);
// Sends every byte; *sent gets the count sent even when it fails.
int64_t SysSendall(int fd, const void* buf, size_t len, int flags, double wait_ms, size_t* sent);
// recvmsg(2) with MSG_CMSG_CLOEXEC added; msg is filled by the caller.
int64_t SysRecvmsg(int fd, struct msghdr* msg, int flags, double wait_ms);
// sendmsg(2) with MSG_NOSIGNAL added (see SendNoSignal in sys_unix.cc).
int64_t SysSendmsg(int fd, const struct msghdr* msg, int flags, double wait_ms);
// sendmmsg(2) / recvmmsg(2): several datagrams in one syscall (a loop of
// sendmsg / recvmsg where the platform lacks them). Return the count of
// messages, or -errno if the first one failed.
int64_t SysSendmmsg(int fd, struct mmsghdr* msgs, unsigned int vlen, int flags, double wait_ms);
int64_t SysRecvmmsg(int fd, struct mmsghdr* msgs, unsigned int vlen, int flags, double wait_ms);
// sendfile(2) from in_fd at *offset (advanced) to the socket out_fd.
int64_t SysSendfile(int out_fd, int in_fd, int64_t* offset, size_t count, double wait_ms);
// Waits for kReadable/kWritable; returns the ready bits, kTimedOut or -errno.
int64_t SysWait(int fd, int events, double wait_ms);

}  // namespace bsdsock

#endif  // BSDSOCK_SYS_H_
