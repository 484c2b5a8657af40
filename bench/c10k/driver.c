/* Workload 7's load generator (the same for every implementation): opens
 * `count` TCP connections to the server under test, at most `window` in
 * progress at a time (so the accept queue never overflows), each sending
 * `size` bytes and reading the echo; then, once the runner writes "go" on
 * stdin (the server has measured its memory with every connection idle),
 * sends `size` bytes on all of them at once and reads every echo.
 * SO_LINGER 0: the connections end with a reset, leaving no TIME_WAIT. */
#include "../lib/common.h"
#include <sys/epoll.h>

enum { CONNECTING, WAITING, IDLE };

int main(int argc, char **argv) {
  role(argc, argv);
  long N = (long)dparam("count", 10000), window = (long)dparam("window", 1000);
  int size = (int)dparam("size", 64);
  int *fds = malloc(N * sizeof(int)), *got = calloc(N, sizeof(int));
  char *state = calloc(N, 1), msg[4096], buf[4096];
  memset(msg, 'x', size);
  struct sockaddr_in a = loopback((int)dparam("port", 0));
  struct linger lg = {1, 0};
  struct epoll_event ev, evs[1024];
  int ep = epoll_create1(EPOLL_CLOEXEC);
  long opened = 0, inflight = 0, echoed = 0;

  double t0 = now();
  for (int phase = 1; phase <= 2; phase++) {
    echoed = 0;
    while (echoed < N) {
      while (phase == 1 && opened < N && inflight < window) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) die("socket");
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0 && errno != EINPROGRESS) die("connect");
        fds[opened] = fd;
        state[opened] = CONNECTING;
        ev.events = EPOLLOUT;
        ev.data.u64 = opened;
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl");
        opened++;
        inflight++;
      }
      int n = epoll_wait(ep, evs, 1024, 20000);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        fprintf(stderr, "driver: no progress for 20 s in phase %d (%ld echoed)\n", phase, echoed);
        return 1;
      }
      for (int k = 0; k < n; k++) {
        long i = (long)evs[k].data.u64;
        int fd = fds[i];
        if (state[i] == CONNECTING) {
          int err = 0;
          socklen_t len = sizeof err;
          getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
          if (err) {
            errno = err;
            die("connect");
          }
          if (send(fd, msg, size, MSG_NOSIGNAL) != size) die("send");
          state[i] = WAITING;
          ev.events = EPOLLIN;
          ev.data.u64 = i;
          epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
        } else if (state[i] == WAITING) {
          ssize_t r = recv(fd, buf, size - got[i], 0);
          if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
          if (r <= 0) die("recv (the server closed a connection)");
          got[i] += r;
          if (got[i] == size) {
            got[i] = 0;
            state[i] = IDLE;
            ev.events = 0;
            ev.data.u64 = i;
            epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
            inflight--;
            echoed++;
          }
        } else {
          fprintf(stderr, "driver: an idle connection was closed by the server\n");
          return 1;
        }
      }
    }
    if (phase == 1) {
      double t1 = now();
      printf("{\"connected\":%ld,\"setup\":%.6f}\n", N, t1 - t0);
      fflush(stdout);
      char line[64];
      if (!fgets(line, sizeof line, stdin)) return 1; /* the runner gave up */
      t0 = now() - (t1 - t0); /* the wait for "go" does not count */
      for (long i = 0; i < N; i++) {
        if (send(fds[i], msg, size, MSG_NOSIGNAL) != size) die("send");
        state[i] = WAITING;
        ev.events = EPOLLIN;
        ev.data.u64 = i;
        epoll_ctl(ep, EPOLL_CTL_MOD, fds[i], &ev);
      }
    }
  }
  double total = now() - t0;
  printf("{\"total\":%.6f,\"conns\":%ld}\n", total, N);
  fflush(stdout);
  for (long i = 0; i < N; i++) close(fds[i]);
  return 0;
}
