/* Workloads 1 and 2, in C: size-byte round trips over TCP (TCP_NODELAY) or
 * AF_UNIX SOCK_STREAM, blocking sockets. Roles: server (echo), client. */
#include "../lib/common.h"

static int unix_family;

static void nodelay(int fd) {
  int one = 1;
  if (!unix_family && setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0) die("TCP_NODELAY");
}

int main(int argc, char **argv) {
  const char *r = role(argc, argv);
  unix_family = strcmp(sparam("family", "tcp"), "unix") == 0;
  const char *path = sparam("path", "");
  int size = (int)dparam("size", 64);
  char buf[65536];
  struct sockaddr_un ua = {.sun_family = AF_UNIX};
  strncpy(ua.sun_path, path, sizeof ua.sun_path - 1);

  if (strcmp(r, "server") == 0) {
    int port = 0, srv;
    if (unix_family) {
      srv = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      unlink(path);
      if (bind(srv, (struct sockaddr *)&ua, sizeof ua) < 0) die("bind");
    } else {
      srv = inet_bound(SOCK_STREAM, &port);
    }
    if (listen(srv, 16) < 0) die("listen");
    printf("{\"ready\":true,\"port\":%d}\n", port);
    fflush(stdout);
    int c = accept4(srv, NULL, NULL, SOCK_CLOEXEC);
    if (c < 0) die("accept");
    nodelay(c);
    for (;;) {
      ssize_t n = recv(c, buf, size, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) die("recv");
      if (n == 0) break;
      send_all(c, buf, n);
    }
    close(c);
    close(srv);
    if (unix_family) unlink(path);
    return 0;
  }

  long count = (long)dparam("count", 10000), warmup = (long)dparam("warmup", 100);
  double secs = dparam("secs", 3);
  int c;
  if (unix_family) {
    c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (connect(c, (struct sockaddr *)&ua, sizeof ua) < 0) die("connect");
  } else {
    struct sockaddr_in a = loopback((int)dparam("port", 0));
    c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (connect(c, (struct sockaddr *)&a, sizeof a) < 0) die("connect");
  }
  nodelay(c);
  char msg[65536];
  memset(msg, 'x', size);
  double t0 = 0, end = 0;
  long done = 0;
  for (long i = 0; i < warmup + count; i++) {
    if (i == warmup) t0 = now(), end = t0 + secs;
    send_all(c, msg, size);
    for (int got = 0; got < size;) {
      ssize_t n = recv(c, buf, size - got, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) die("recv");
      got += n;
    }
    if (i >= warmup && (++done & 255) == 0 && now() > end) break;
  }
  double t1 = now();
  close(c);
  printf("{\"ops\":%ld,\"seconds\":%.6f,\"rate\":%.1f}\n", done, t1 - t0, done / (t1 - t0));
  return 0;
}
