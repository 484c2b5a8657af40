import { expect, it } from 'vitest';
import { Socket } from '@bsdsock/core';
it('opens an AF_CAN socket', () => {
  const s = new Socket(29, 3, 1);
  expect(s.family).toBe(29);
  s.close();
});
