/**
 * This package is built as a package outside bsdsock would be: it may
 * depend on `@bsdsock/core`'s published API and zod only. These checks keep
 * it that way.
 */
import { join } from 'node:path';
import { describeOutsidePackage } from '@bsdsock/test-utils';

describeOutsidePackage('@bsdsock/rds', join(__dirname, '..'));
