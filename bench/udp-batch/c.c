/* Workload 5 in C: size-byte UDP datagrams over loopback, `vlen` per
 * sendmmsg()/recvmmsg() call, blocking sockets. Roles as udp-pps. */
#include "../lib/common.h"

int main(int argc, char **argv) {
  const char *r = role(argc, argv);
  int size = (int)dparam("size", 64), vlen = (int)dparam("vlen", 64);
  if (vlen > 1024) vlen = 1024;
  static char bufs[1024][2048];
  static struct mmsghdr msgs[1024];
  static struct iovec iov[1024];
  for (int i = 0; i < vlen; i++) {
    iov[i].iov_base = bufs[i];
    iov[i].iov_len = size;
    msgs[i].msg_hdr = (struct msghdr){.msg_iov = &iov[i], .msg_iovlen = 1};
  }
  if (strcmp(r, "server") == 0) {
    int port, fd = inet_bound(SOCK_DGRAM, &port);
    set_rcvtimeo(fd, 1.0);
    printf("{\"ready\":true,\"port\":%d}\n", port);
    fflush(stdout);
    long received = 0;
    double start = now(), first = 0, last = 0;
    int done = 0;
    while (!done) {
      int n = recvmmsg(fd, msgs, vlen, MSG_WAITFORONE, NULL);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno != EAGAIN) die("recvmmsg");
        if (received > 0 || now() - start > 30) break;
        continue;
      }
      for (int i = 0; i < n; i++) {
        if (msgs[i].msg_len > 0 && bufs[i][0] == END_BYTE) {
          last = now();
          done = 1;
          break;
        }
        if (received++ == 0) first = now();
      }
      if (!done) last = now();
    }
    double secs = last - first;
    printf("{\"received\":%ld,\"seconds\":%.6f,\"rate\":%.1f}\n", received, secs, secs > 0 ? received / secs : 0);
    return 0;
  }
  long count = (long)dparam("count", 100000);
  double secs = dparam("secs", 2);
  struct sockaddr_in a = loopback((int)dparam("port", 0));
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) die("connect");
  for (int i = 0; i < vlen; i++) memset(bufs[i], 'x', size);
  double end = now() + secs;
  long sent = 0;
  while (sent < count) {
    int n = sendmmsg(fd, msgs, vlen, 0);
    if (n < 0) {
      if (errno == EINTR || errno == ENOBUFS) continue;
      die("sendmmsg");
    }
    sent += n;
    if (now() > end) break;
  }
  char e[64];
  int n = snprintf(e, sizeof e, "E%ld", sent);
  for (int i = 0; i < 10; i++) {
    if (send(fd, e, n, 0) < 0) break; /* the receiver stopped at an earlier one */
    usleep(5000);
  }
  printf("{\"sent\":%ld}\n", sent);
  return 0;
}
