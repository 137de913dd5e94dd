import type { ReactNode } from 'react';

/** A console page a domain module contributes: its path under the signed-in layout and who may open it. */
export interface ModulePage {
  path: string;
  permission: string;
  element: ReactNode;
}
