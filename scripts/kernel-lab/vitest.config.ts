// The kernel-family tests: the root configuration with only
// packages/*/test/kernel/**/*.test.ts included. `npm run test:kernel` runs
// them inside the kernel lab (scripts/kernel-lab/test-kernel); the plain
// `npm test` includes them too, where they skip unless the kernel has the family.
import base from '../../vitest.config.ts';

export default {
  ...base,
  test: {
    ...base.test,
    include: ['packages/*/test/kernel/**/*.test.ts'],
  },
};
