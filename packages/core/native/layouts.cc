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
#if __has_include(<linux/can.h>)
#include <linux/can.h>
#endif
#if __has_include(<linux/can/bcm.h>)
#include <linux/can/bcm.h>
#endif
#if __has_include(<linux/can/raw.h>)
#include <linux/can/raw.h>
#endif
#if __has_include(<linux/can/isotp.h>)
#include <linux/can/isotp.h>
#endif
#if __has_include(<linux/if_alg.h>)
#include <linux/if_alg.h>
#endif
#if __has_include(<linux/vm_sockets.h>)
#include <linux/vm_sockets.h>
#endif
#if __has_include(<linux/tipc.h>)
#include <linux/tipc.h>
#endif
#if __has_include(<bluetooth/bluetooth.h>)
#include <bluetooth/bluetooth.h>
#endif
#if __has_include(<bluetooth/hci.h>)
#include <bluetooth/hci.h>
#endif
#if __has_include(<bluetooth/l2cap.h>)
#include <bluetooth/l2cap.h>
#endif
#if __has_include(<bluetooth/rfcomm.h>)
#include <bluetooth/rfcomm.h>
#endif
#if __has_include(<bluetooth/sco.h>)
#include <bluetooth/sco.h>
#endif

#include <cstddef>

#include "addon.h"

namespace bsdsock {

#define SIZE(s) obj.Set(#s, Napi::Number::New(env, sizeof(struct s)))
#define OFF(s, f) obj.Set(#s "." #f, Napi::Number::New(env, offsetof(struct s, f)))
// The size of a member, for arrays and fields whose width differs by platform.
#define MSIZE(s, f) obj.Set(#s "." #f ".size", Napi::Number::New(env, sizeof(((struct s*)nullptr)->f)))

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

#if __has_include(<linux/can.h>) && defined(AF_CAN)
  // AF_CAN (@bsdsock/can): the address, one per protocol (tp for ISOTP,
  // j1939 for J1939), the two frame formats, the raw filter.
  SIZE(sockaddr_can);
  OFF(sockaddr_can, can_family);
  OFF(sockaddr_can, can_ifindex);
  OFF(sockaddr_can, can_addr);
  OFF(sockaddr_can, can_addr.tp.rx_id);
  OFF(sockaddr_can, can_addr.tp.tx_id);
  OFF(sockaddr_can, can_addr.j1939.name);
  OFF(sockaddr_can, can_addr.j1939.pgn);
  OFF(sockaddr_can, can_addr.j1939.addr);
  SIZE(can_frame);
  OFF(can_frame, can_id);
  OFF(can_frame, can_dlc);
  OFF(can_frame, data);
  MSIZE(can_frame, data);
  SIZE(canfd_frame);
  OFF(canfd_frame, can_id);
  OFF(canfd_frame, len);
  OFF(canfd_frame, flags);
  OFF(canfd_frame, data);
  MSIZE(canfd_frame, data);
  SIZE(can_filter);
  OFF(can_filter, can_id);
  OFF(can_filter, can_mask);
#endif
#if __has_include(<linux/can/bcm.h>) && defined(AF_CAN)
  // The head of every CAN_BCM message; its frames follow at `frames`.
  SIZE(bcm_msg_head);
  OFF(bcm_msg_head, opcode);
  OFF(bcm_msg_head, flags);
  OFF(bcm_msg_head, count);
  OFF(bcm_msg_head, ival1);
  OFF(bcm_msg_head, ival2);
  OFF(bcm_msg_head, can_id);
  OFF(bcm_msg_head, nframes);
  OFF(bcm_msg_head, frames);
  SIZE(bcm_timeval);
  OFF(bcm_timeval, tv_sec);
  OFF(bcm_timeval, tv_usec);
  MSIZE(bcm_timeval, tv_sec);
  MSIZE(bcm_timeval, tv_usec);
#endif
#if __has_include(<linux/can/isotp.h>) && defined(AF_CAN)
  // CAN_ISOTP socket options (SOL_CAN_ISOTP).
  SIZE(can_isotp_options);
  OFF(can_isotp_options, flags);
  OFF(can_isotp_options, frame_txtime);
  OFF(can_isotp_options, ext_address);
  OFF(can_isotp_options, txpad_content);
  OFF(can_isotp_options, rxpad_content);
  OFF(can_isotp_options, rx_ext_address);
  SIZE(can_isotp_fc_options);
  OFF(can_isotp_fc_options, bs);
  OFF(can_isotp_fc_options, stmin);
  OFF(can_isotp_fc_options, wftmax);
  SIZE(can_isotp_ll_options);
  OFF(can_isotp_ll_options, mtu);
  OFF(can_isotp_ll_options, tx_dl);
  OFF(can_isotp_ll_options, tx_flags);
#endif
#if __has_include(<linux/if_alg.h>) && defined(AF_ALG)
  // AF_ALG (@bsdsock/alg): the address and the ALG_SET_IV control message.
  SIZE(sockaddr_alg);
  OFF(sockaddr_alg, salg_family);
  OFF(sockaddr_alg, salg_type);
  MSIZE(sockaddr_alg, salg_type);
  OFF(sockaddr_alg, salg_feat);
  OFF(sockaddr_alg, salg_mask);
  OFF(sockaddr_alg, salg_name);
  MSIZE(sockaddr_alg, salg_name);
  SIZE(af_alg_iv);
  OFF(af_alg_iv, ivlen);
  OFF(af_alg_iv, iv);
#endif
#if __has_include(<linux/vm_sockets.h>) && defined(AF_VSOCK)
  // AF_VSOCK (@bsdsock/vsock).
  SIZE(sockaddr_vm);
  OFF(sockaddr_vm, svm_family);
  OFF(sockaddr_vm, svm_port);
  OFF(sockaddr_vm, svm_cid);
#endif
#if __has_include(<linux/tipc.h>) && defined(AF_TIPC)
  // AF_TIPC (@bsdsock/tipc): one address, three forms in a union.
  SIZE(sockaddr_tipc);
  OFF(sockaddr_tipc, family);
  OFF(sockaddr_tipc, addrtype);
  OFF(sockaddr_tipc, scope);
  OFF(sockaddr_tipc, addr);
  OFF(sockaddr_tipc, addr.id.ref);
  OFF(sockaddr_tipc, addr.id.node);
  OFF(sockaddr_tipc, addr.nameseq.type);
  OFF(sockaddr_tipc, addr.nameseq.lower);
  OFF(sockaddr_tipc, addr.nameseq.upper);
  OFF(sockaddr_tipc, addr.name.name.type);
  OFF(sockaddr_tipc, addr.name.name.instance);
  OFF(sockaddr_tipc, addr.name.domain);
#endif
#if __has_include(<bluetooth/bluetooth.h>) && defined(AF_BLUETOOTH)
  // AF_BLUETOOTH (@bsdsock/bluetooth): BlueZ's addresses of the four
  // protocols, and the HCI_FILTER option.
  SIZE(sockaddr_l2);
  OFF(sockaddr_l2, l2_family);
  OFF(sockaddr_l2, l2_psm);
  OFF(sockaddr_l2, l2_bdaddr);
  OFF(sockaddr_l2, l2_cid);
  OFF(sockaddr_l2, l2_bdaddr_type);
  SIZE(sockaddr_rc);
  OFF(sockaddr_rc, rc_family);
  OFF(sockaddr_rc, rc_bdaddr);
  OFF(sockaddr_rc, rc_channel);
  SIZE(sockaddr_hci);
  OFF(sockaddr_hci, hci_family);
  OFF(sockaddr_hci, hci_dev);
  OFF(sockaddr_hci, hci_channel);
  SIZE(sockaddr_sco);
  OFF(sockaddr_sco, sco_family);
  OFF(sockaddr_sco, sco_bdaddr);
  SIZE(hci_filter);
  OFF(hci_filter, type_mask);
  OFF(hci_filter, event_mask);
  OFF(hci_filter, opcode);
  MSIZE(hci_filter, event_mask);
  obj.Set("bdaddr_t", Napi::Number::New(env, sizeof(bdaddr_t)));
#endif

  obj.Freeze();
  exports.Set("layouts", obj);
}

#undef SIZE
#undef OFF
#undef MSIZE

}  // namespace bsdsock
