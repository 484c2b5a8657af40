/* Workload 7 in C: an epoll echo server holding `count` connections on one
 * thread. Writes its RSS before the first connection (ready line) and once
 * `count` * `size` bytes were echoed (every connection idle). */
#include "../lib/common.h"
#include <sys/epoll.h>

int main(int argc, char **argv) {
  role(argc, argv);
  long N = (long)dparam("count", 10000);
  int size = (int)dparam("size", 64);
  int port, srv = inet_bound(SOCK_STREAM | SOCK_NONBLOCK, &port);
  if (listen(srv, 4096) < 0) die("listen");
  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = srv}, evs[256];
  epoll_ctl(ep, EPOLL_CTL_ADD, srv, &ev);
  printf("{\"ready\":true,\"port\":%d,\"rss\":%ld}\n", port, rss_bytes());
  fflush(stdout);
  long long echoed = 0;
  long closed = 0;
  char buf[4096];
  while (closed < N) {
    int n = epoll_wait(ep, evs, 256, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die("epoll_wait");
    for (int k = 0; k < n; k++) {
      int fd = evs[k].data.fd;
      if (fd == srv) {
        for (;;) {
          int c = accept4(srv, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (c < 0) break;
          ev.events = EPOLLIN;
          ev.data.fd = c;
          epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
        }
        continue;
      }
      ssize_t r = recv(fd, buf, sizeof buf, 0);
      if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (r > 0 && send(fd, buf, r, MSG_NOSIGNAL) == r) {
        echoed += r;
        if (echoed == (long long)N * size) {
          printf("{\"idle\":true,\"rss\":%ld}\n", rss_bytes());
          fflush(stdout);
        }
        continue;
      }
      close(fd); /* EOF, reset, or a short send */
      closed++;
    }
  }
  return 0;
}
