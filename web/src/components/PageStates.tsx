import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Button, Result, Spin } from 'antd';
import { Link } from 'react-router-dom';
import { useT } from '../i18n/index.tsx';

export function PageLoading() {
  return (
    <div className="cf-page-loading" data-testid="page-loading">
      <Spin size="large" />
    </div>
  );
}

export function Forbidden() {
  const t = useT();
  return (
    <div data-testid="page-forbidden">
    <Result
      status="403"
      title={t('error.forbidden')}
      subTitle={t('error.forbiddenHint')}
      extra={
        <Link to="/">
          <Button type="primary">{t('error.backHome')}</Button>
        </Link>
      }
    />
    </div>
  );
}

export function NotFound() {
  const t = useT();
  return (
    <div data-testid="page-not-found">
    <Result
      status="404"
      title={t('error.notFound')}
      subTitle={t('error.notFoundHint')}
      extra={
        <Link to="/">
          <Button type="primary">{t('error.backHome')}</Button>
        </Link>
      }
    />
    </div>
  );
}

function CrashNotice({ error }: { error: unknown }) {
  const t = useT();
  return (
    <Result
      status="error"
      title={t('error.pageCrashed')}
      subTitle={error instanceof Error ? error.message : String(error)}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t('error.reload')}
        </Button>
      }
    />
  );
}

/** Catches render errors and failed lazy chunk loads so one page cannot blank the console. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override componentDidUpdate(prev: { resetKey?: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  override render() {
    return this.state.error ? <CrashNotice error={this.state.error} /> : this.props.children;
  }
}
