/* Workload 6 in C: TCP connect + accept + close cycles over loopback. The
 * server accepts and closes; the client connects, waits for the server's
 * close (EOF: the cycles stay in lock step, so the accept queue never
 * overflows) and closes. Roles: server (runs until killed), client. */
#include "../lib/common.h"

int main(int argc, char **argv) {
  const char *r = role(argc, argv);
  if (strcmp(r, "server") == 0) {
    int port, srv = inet_bound(SOCK_STREAM, &port);
    if (listen(srv, 4096) < 0) die("listen");
    printf("{\"ready\":true,\"port\":%d}\n", port);
    fflush(stdout);
    for (;;) {
      int c = accept4(srv, NULL, NULL, SOCK_CLOEXEC);
      if (c < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        die("accept");
      }
      close(c);
    }
  }
  long count = (long)dparam("count", 1000), warmup = (long)dparam("warmup", 100);
  double secs = dparam("secs", 3);
  struct sockaddr_in a = loopback((int)dparam("port", 0));
  char b[1];
  double t0 = 0, end = 0;
  long done = 0;
  for (long i = 0; i < warmup + count; i++) {
    if (i == warmup) t0 = now(), end = t0 + secs;
    int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c < 0) die("socket");
    if (connect(c, (struct sockaddr *)&a, sizeof a) < 0) die("connect");
    while (recv(c, b, 1, 0) < 0)
      if (errno != EINTR) die("recv");
    close(c);
    if (i >= warmup && (++done & 63) == 0 && now() > end) break;
  }
  double t1 = now();
  printf("{\"ops\":%ld,\"seconds\":%.6f,\"rate\":%.1f}\n", done, t1 - t0, done / (t1 - t0));
  return 0;
}
