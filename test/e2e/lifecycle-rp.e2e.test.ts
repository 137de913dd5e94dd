import { describe } from 'vitest';
import { useLifecycle } from './lifecycle.ts';
import { residencePermitSteps } from './lifecycle-rp-flow.ts';

describe('console: a residence permit from the counter to the holder, through production and delivery', () => {
  residencePermitSteps(useLifecycle('lc-rp'));
});
