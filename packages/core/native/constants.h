// The socket module's integer constants, from the system headers.
// constants.cc is generated from constants.txt by scripts/gen-constants-cc.mjs.
#ifndef BSDSOCK_CONSTANTS_H_
#define BSDSOCK_CONSTANTS_H_

#include <napi.h>

// UDP-Lite's socket options, as CPython defines them: Linux declares
// UDPLITE_SEND_CSCOV and UDPLITE_RECV_CSCOV only in the kernel's
// <linux/udp.h> (which clashes with glibc's <netinet/udp.h>), so
// Modules/socketmodule.c defines them itself, with these values, wherever
// IPPROTO_UDPLITE exists. bsdsock does the same.
#if __has_include(<netinet/in.h>)
#include <netinet/in.h>
#endif
#ifdef IPPROTO_UDPLITE
#ifndef UDPLITE_SEND_CSCOV
#define UDPLITE_SEND_CSCOV 10
#endif
#ifndef UDPLITE_RECV_CSCOV
#define UDPLITE_RECV_CSCOV 11
#endif
#endif

// Sets on `obj` every constant of constants.txt that this machine's headers
// define: a Number, or a BigInt for 64-bit values (J1939_NO_NAME).
void AddConstants(Napi::Env env, Napi::Object obj);

#endif  // BSDSOCK_CONSTANTS_H_
