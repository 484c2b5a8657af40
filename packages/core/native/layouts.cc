// sizeof and offsetof of each sockaddr structure, read from the system
// headers at compile time, so that the TypeScript codecs never hard-code a
// layout. Keys are `struct` for the size and `struct.field` for an offset.
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#ifdef __linux__
#include <netpacket/packet.h>
#endif

#include <cstddef>

#include "addon.h"

namespace bsdsock {

#define SIZE(s) obj.Set(#s, Napi::Number::New(env, sizeof(struct s)))
#define OFF(s, f) obj.Set(#s "." #f, Napi::Number::New(env, offsetof(struct s, f)))

void InitLayouts(Napi::Env env, Napi::Object exports) {
  Napi::Object obj = Napi::Object::New(env);
  SIZE(sockaddr);
  OFF(sockaddr, sa_family);
  obj.Set("sa_family_t", Napi::Number::New(env, sizeof(sa_family_t)));
  SIZE(sockaddr_storage);

  SIZE(sockaddr_in);
  OFF(sockaddr_in, sin_family);
  OFF(sockaddr_in, sin_port);
  OFF(sockaddr_in, sin_addr);

  SIZE(sockaddr_in6);
  OFF(sockaddr_in6, sin6_family);
  OFF(sockaddr_in6, sin6_port);
  OFF(sockaddr_in6, sin6_flowinfo);
  OFF(sockaddr_in6, sin6_addr);
  OFF(sockaddr_in6, sin6_scope_id);

  SIZE(sockaddr_un);
  OFF(sockaddr_un, sun_family);
  OFF(sockaddr_un, sun_path);
  obj.Set("sockaddr_un.sun_path.length",
          Napi::Number::New(env, sizeof(((struct sockaddr_un*)nullptr)->sun_path)));

  // Ancillary data: the header and the alignment CMSG_* macros use.
  SIZE(cmsghdr);
  OFF(cmsghdr, cmsg_len);
  OFF(cmsghdr, cmsg_level);
  OFF(cmsghdr, cmsg_type);
  obj.Set("cmsghdr.cmsg_len.size", Napi::Number::New(env, sizeof(((struct cmsghdr*)nullptr)->cmsg_len)));
  obj.Set("CMSG_LEN(0)", Napi::Number::New(env, CMSG_LEN(0)));
  obj.Set("CMSG_SPACE(0)", Napi::Number::New(env, CMSG_SPACE(0)));
  obj.Set("CMSG_SPACE(1)", Napi::Number::New(env, CMSG_SPACE(1)));
  obj.Set("int", Napi::Number::New(env, sizeof(int)));

#ifdef SCM_CREDENTIALS
  SIZE(ucred);
  OFF(ucred, pid);
  OFF(ucred, uid);
  OFF(ucred, gid);
#endif
  SIZE(in_pktinfo);
  OFF(in_pktinfo, ipi_ifindex);
  OFF(in_pktinfo, ipi_spec_dst);
  OFF(in_pktinfo, ipi_addr);
  SIZE(in6_pktinfo);
  OFF(in6_pktinfo, ipi6_addr);
  OFF(in6_pktinfo, ipi6_ifindex);

  SIZE(timeval);
  OFF(timeval, tv_sec);
  OFF(timeval, tv_usec);
  obj.Set("timeval.tv_sec.size", Napi::Number::New(env, sizeof(((struct timeval*)nullptr)->tv_sec)));
  obj.Set("timeval.tv_usec.size", Napi::Number::New(env, sizeof(((struct timeval*)nullptr)->tv_usec)));

#ifdef __linux__
  // AF_PACKET (@bsdsock/packet): the link-level address and the membership
  // request of PACKET_ADD_MEMBERSHIP / PACKET_DROP_MEMBERSHIP.
  SIZE(sockaddr_ll);
  OFF(sockaddr_ll, sll_family);
  OFF(sockaddr_ll, sll_protocol);
  OFF(sockaddr_ll, sll_ifindex);
  OFF(sockaddr_ll, sll_hatype);
  OFF(sockaddr_ll, sll_pkttype);
  OFF(sockaddr_ll, sll_halen);
  OFF(sockaddr_ll, sll_addr);
  obj.Set("sockaddr_ll.sll_addr.length",
          Napi::Number::New(env, sizeof(((struct sockaddr_ll*)nullptr)->sll_addr)));
  SIZE(packet_mreq);
  OFF(packet_mreq, mr_ifindex);
  OFF(packet_mreq, mr_type);
  OFF(packet_mreq, mr_alen);
  OFF(packet_mreq, mr_address);
  obj.Set("packet_mreq.mr_address.length",
          Napi::Number::New(env, sizeof(((struct packet_mreq*)nullptr)->mr_address)));
#endif

  obj.Freeze();
  exports.Set("layouts", obj);
}

#undef SIZE
#undef OFF

}  // namespace bsdsock
