/* Workload 3 in C: `bytes` bytes over TCP loopback in `chunk`-byte writes;
 * the receiver recv()s into one reused buffer. Roles: server (sends),
 * client (receives, measures). */
#include "../lib/common.h"

int main(int argc, char **argv) {
  const char *r = role(argc, argv);
  long long total = (long long)dparam("bytes", 1 << 26);
  int chunk = (int)dparam("chunk", 65536);
  double secs = dparam("secs", 5);
  char *buf = malloc(chunk);
  memset(buf, 'x', chunk);
  if (strcmp(r, "server") == 0) {
    int port, srv = inet_bound(SOCK_STREAM, &port);
    if (listen(srv, 16) < 0) die("listen");
    printf("{\"ready\":true,\"port\":%d}\n", port);
    fflush(stdout);
    int c = accept4(srv, NULL, NULL, SOCK_CLOEXEC);
    if (c < 0) die("accept");
    double end = now() + secs;
    long long sent = 0;
    while (sent < total && now() < end) {
      send_all(c, buf, chunk);
      sent += chunk;
    }
    close(c);
    close(srv);
    printf("{\"sent\":%lld}\n", sent);
    return 0;
  }
  struct sockaddr_in a = loopback((int)dparam("port", 0));
  int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (connect(c, (struct sockaddr *)&a, sizeof a) < 0) die("connect");
  double t0 = now();
  long long got = 0;
  for (;;) {
    ssize_t n = recv(c, buf, chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die("recv");
    if (n == 0) break;
    got += n;
  }
  double t1 = now();
  close(c);
  printf("{\"ops\":%lld,\"seconds\":%.6f,\"rate\":%.1f}\n", got, t1 - t0, got / (t1 - t0));
  return 0;
}
