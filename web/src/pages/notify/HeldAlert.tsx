import { useEffect, useState } from 'react';
import { Alert } from 'antd';
import { Link } from 'react-router-dom';
import { api } from '../../api/client.ts';
import { useT } from '../../i18n/index.tsx';

/** The server alerts the duty phone every 30 s; the console asks as often. */
const POLL_MS = 30_000;

/** A warning with the number of messages held for sensitive words, linking to the review page; nothing when none are held. */
export function HeldAlert() {
  const t = useT();
  const [total, setTotal] = useState(0);
  useEffect(() => {
    const ctrl = new AbortController();
    const load = () =>
      api
        .get<{ total: number }>('/sms/holds', { limit: 1 }, { signal: ctrl.signal })
        .then((r) => setTotal(r.total))
        .catch(() => undefined);
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => {
      clearInterval(timer);
      ctrl.abort();
    };
  }, []);
  if (total === 0) return null;
  return <Alert type="warning" showIcon style={{ marginBottom: 12 }} data-testid="sms-held-alert" title={<Link to="/sms/holds">{t('sms.hold.alert', { count: total })}</Link>} />;
}
