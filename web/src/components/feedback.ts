import { App } from 'antd';
import { useCallback, useMemo } from 'react';
import { ApiError, SESSION_LOST_CODES } from '../api/client.ts';

/** True for errors not worth a toast: aborted requests and a lost session (we redirect to /login instead). */
export function isSilentError(err: unknown): boolean {
  if (err instanceof DOMException && err.name === 'AbortError') return true;
  return err instanceof ApiError && err.status === 401 && SESSION_LOST_CODES.includes(err.code);
}

/** message.error(err.message) for API errors (the server localises them), with the App context. */
export function useFeedback() {
  const { message } = App.useApp();
  const showError = useCallback(
    (err: unknown) => {
      if (isSilentError(err)) return;
      const text = err instanceof Error ? err.message : String(err);
      void message.error(text);
    },
    [message],
  );
  const showSuccess = useCallback((text: string) => void message.success(text), [message]);
  return useMemo(() => ({ showError, showSuccess, message }), [showError, showSuccess, message]);
}
