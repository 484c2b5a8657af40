// The socket module's integer constants, from the system headers.
// constants.cc is generated from constants.txt by scripts/gen-constants-cc.mjs.
#ifndef BSDSOCK_CONSTANTS_H_
#define BSDSOCK_CONSTANTS_H_

#include <napi.h>

// Sets on `obj` every constant of constants.txt that this machine's headers
// define: a Number, or a BigInt for 64-bit values (J1939_NO_NAME).
void AddConstants(Napi::Env env, Napi::Object obj);

#endif  // BSDSOCK_CONSTANTS_H_
