/* Workload 8 in C: sendto() of size-byte UDP datagrams from an unconnected
 * socket to a bound socket nobody reads (the kernel drops what overflows).
 * mode=tuple builds the sockaddr from the text address on every call
 * (inet_pton + htons, what a tuple costs at the least); mode=encoded reuses
 * one sockaddr. Role: run. */
#include "../lib/common.h"

int main(int argc, char **argv) {
  role(argc, argv);
  int encoded = strcmp(sparam("mode", "tuple"), "encoded") == 0;
  long count = (long)dparam("count", 100000), warmup = (long)dparam("warmup", 1000);
  double secs = dparam("secs", 2);
  int size = (int)dparam("size", 64);
  int port, rx = inet_bound(SOCK_DGRAM, &port);
  int tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  char msg[2048];
  memset(msg, 'x', size);
  const char *host = "127.0.0.1";
  struct sockaddr_in pre = loopback(port);
  double t0 = 0, end = 0;
  long done = 0;
  for (long i = 0; i < warmup + count; i++) {
    if (i == warmup) t0 = now(), end = t0 + secs;
    ssize_t r;
    if (encoded) {
      r = sendto(tx, msg, size, 0, (struct sockaddr *)&pre, sizeof pre);
    } else {
      struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
      if (inet_pton(AF_INET, host, &a.sin_addr) != 1) die("inet_pton");
      r = sendto(tx, msg, size, 0, (struct sockaddr *)&a, sizeof a);
    }
    if (r < 0 && errno != EINTR && errno != ENOBUFS && errno != EAGAIN) die("sendto");
    if (i >= warmup && (++done & 1023) == 0 && now() > end) break;
  }
  double t1 = now();
  close(tx);
  close(rx);
  printf("{\"ops\":%ld,\"seconds\":%.6f,\"rate\":%.1f}\n", done, t1 - t0, done / (t1 - t0));
  return 0;
}
