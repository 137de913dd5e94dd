export const SERVER_BUNDLE: string;
export function ensureServerBundle(announce?: () => void): Promise<void>;
