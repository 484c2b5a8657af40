// The kernel-family tests: packages/*/test/kernel/**/*.test.ts with the root
// configuration, except that every file runs in one worker process
// (isolate: false). `npm run test:kernel` runs them inside the kernel lab
// (scripts/kernel-lab/test-kernel), where the guest has one CPU and, under
// qemu TCG, every process start costs seconds: three small files took 58 s
// with a process per file and 26 s in one. The plain `npm test` runs these
// files too, isolated, where they skip unless the host's kernel has the family.
import base from '../../vitest.config.ts';

export default {
  ...base,
  test: {
    ...base.test,
    include: ['packages/*/test/kernel/**/*.test.ts'],
    isolate: false,
    fileParallelism: false,
    maxWorkers: 1,
  },
};
