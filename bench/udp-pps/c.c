/* Workload 4 in C: size-byte UDP datagrams over loopback, one send()/recv()
 * per datagram, blocking sockets. Roles: server (receives, measures),
 * client (sends `count` as fast as it can, then END datagrams). */
#include "../lib/common.h"

int main(int argc, char **argv) {
  const char *r = role(argc, argv);
  int size = (int)dparam("size", 64);
  char buf[2048];
  if (strcmp(r, "server") == 0) {
    int port, fd = inet_bound(SOCK_DGRAM, &port);
    set_rcvtimeo(fd, 1.0);
    printf("{\"ready\":true,\"port\":%d}\n", port);
    fflush(stdout);
    long received = 0;
    double start = now(), first = 0, last = 0;
    for (;;) {
      ssize_t n = recv(fd, buf, size, 0);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno != EAGAIN) die("recv");
        if (received > 0 || now() - start > 30) break; /* idle: the END datagrams were lost */
        continue;
      }
      if (n > 0 && buf[0] == END_BYTE) {
        last = now();
        break;
      }
      if (received++ == 0) first = now();
      if ((received & 63) == 0) last = now();
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
  memset(buf, 'x', size);
  double end = now() + secs;
  long sent = 0;
  while (sent < count) {
    if (send(fd, buf, size, 0) < 0) {
      if (errno == EINTR || errno == ENOBUFS) continue;
      die("send");
    }
    if ((++sent & 1023) == 0 && now() > end) break;
  }
  int n = snprintf(buf, sizeof buf, "E%ld", sent);
  for (int i = 0; i < 10; i++) {
    if (send(fd, buf, n, 0) < 0) break; /* the receiver stopped at an earlier one */
    usleep(5000);
  }
  printf("{\"sent\":%ld}\n", sent);
  return 0;
}
