import type { ReactNode } from 'react';
import { Alert, Card, Typography } from 'antd';
import { LanguageSwitch, Logo } from './Brand.tsx';
import { useT } from '../i18n/index.tsx';

interface Props {
  title: string;
  subtitle: string;
  cardClassName?: string;
  /** A server error shown above the form, with its code for tests and a warning tone where it is temporary. */
  error?: { code: string; message: string; testId: string; warning: boolean } | null;
  children: ReactNode;
}

/** The frame of the pages a person sees without signing in: sign-in and progress lookup. */
export function PublicShell({ title, subtitle, cardClassName, error, children }: Props) {
  const t = useT();
  return (
    <div className="cf-login">
      <div className="cf-login-top">
        <span className="cf-brand">
          <Logo size={36} />
          <span className="cf-brand-name">{t('app.name')}</span>
        </span>
        <LanguageSwitch dark />
      </div>
      <div className="cf-login-body">
        <Card className={`cf-login-card${cardClassName ? ` ${cardClassName}` : ''}`}>
          <div className="cf-login-heading">
            <Typography.Title level={3} style={{ marginBottom: 4 }}>
              {title}
            </Typography.Title>
            <Typography.Text type="secondary">{subtitle}</Typography.Text>
          </div>
          {error && (
            <div data-testid={error.testId} data-code={error.code} style={{ marginBottom: 16 }}>
              <Alert type={error.warning ? 'warning' : 'error'} showIcon title={error.message} />
            </div>
          )}
          {children}
        </Card>
      </div>
      <div className="cf-login-foot">cardflow · Apache-2.0</div>
    </div>
  );
}
