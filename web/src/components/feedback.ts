import { App } from 'antd';
import { useCallback, useMemo, useState } from 'react';
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

/** Runs a dialog's request with a busy flag; errors become a toast and keep the dialog open. */
export function useSubmit(onDone: () => void) {
  const { showError } = useFeedback();
  const [busy, setBusy] = useState(false);
  const submit = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
      onDone();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, submit };
}
