/**
 * The RDS constants: Python's `AF_RDS`, `PF_RDS`, `SOL_RDS` and the
 * `RDS_*` socket options, control-message types and RDMA flags, all
 * re-exported from `@bsdsock/core`, which reads them from this machine's
 * headers (`<linux/rds.h>`); a name the headers lack is absent there, as in
 * Python.
 *
 * Why re-exports: `@bsdsock/core` exports every constant of Python's socket
 * module, this family's included, and a package outside bsdsock cannot add
 * names to core's constant list. Re-exporting core's bindings keeps one
 * binding per name, so the flat `bsdsock` namespace, which re-exports every
 * package, has each name once.
 *
 * @packageDocumentation
 */
export {
  AF_RDS, PF_RDS, SOL_RDS,
  RDS_CANCEL_SENT_TO, RDS_GET_MR, RDS_FREE_MR, RDS_RECVERR, RDS_CONG_MONITOR, RDS_GET_MR_FOR_DEST,
  RDS_CMSG_RDMA_ARGS, RDS_CMSG_RDMA_DEST, RDS_CMSG_RDMA_MAP, RDS_CMSG_RDMA_STATUS,
  RDS_RDMA_READWRITE, RDS_RDMA_FENCE, RDS_RDMA_INVALIDATE, RDS_RDMA_USE_ONCE, RDS_RDMA_DONTWAIT,
  RDS_RDMA_NOTIFY_ME, RDS_RDMA_SILENT,
} from '@bsdsock/core';
