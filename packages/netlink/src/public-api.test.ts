/**
 * This package is bsdsock's proof that a family can be built from outside
 * the repository: it may depend on `@bsdsock/core`'s published API and zod
 * only. These checks keep it that way.
 */
import { join } from 'node:path';
import { describeOutsidePackage } from '@bsdsock/test-utils';

describeOutsidePackage('@bsdsock/netlink', join(__dirname, '..'));
