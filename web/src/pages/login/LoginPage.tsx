import { useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { Button, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { ApiError } from '../../api/client.ts';
import { safeRedirect, useAuth } from '../../auth/AuthContext.tsx';
import { useT } from '../../i18n/index.tsx';
import { PublicShell } from '../../components/PublicShell.tsx';
import { PageLoading } from '../../components/PageStates.tsx';
import { NAV, navKeyFor } from '../../nav.tsx';
import type { SessionUser } from '../../api/types.ts';

/** Back to the page asked for, unless the new user may not open it (another person signing in). */
function landingFor(target: string, user: SessionUser): string {
  const entry = NAV.find((n) => n.key === navKeyFor(target.split(/[?#]/)[0] ?? '/'));
  if (entry?.permission && !user.permissions.includes(entry.permission)) return '/';
  return target;
}

interface LoginForm {
  username: string;
  password: string;
}

export default function LoginPage() {
  const t = useT();
  const { user, login } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [form] = Form.useForm<LoginForm>();
  const redirect = safeRedirect(params.get('redirect'));

  if (user === undefined) return <PageLoading />;
  if (user) return <Navigate to={landingFor(redirect, user)} replace />;

  const onFinish = async (values: LoginForm) => {
    setSubmitting(true);
    setError(null);
    try {
      const signedIn = await login(values.username.trim(), values.password);
      navigate(landingFor(redirect, signedIn), { replace: true });
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError('UNKNOWN', String(err), 0);
      setError({ code: e.code, message: e.message });
      form.setFieldValue('password', '');
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <PublicShell
      title={t('login.title')}
      subtitle={t('app.tagline')}
      error={error && { ...error, testId: 'login-error', warning: error.code === 'AUTH_ACCOUNT_LOCKED' }}
    >
      <Form<LoginForm> form={form} layout="vertical" size="large" onFinish={onFinish} requiredMark={false} autoComplete="on">
        <Form.Item name="username" label={t('login.username')} rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" placeholder={t('login.username')} />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" placeholder={t('login.password')} />
        </Form.Item>
        <Form.Item style={{ marginBottom: 8 }}>
          <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0, textAlign: 'center' }}>
        {t('login.notice')}
      </Typography.Paragraph>
      <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0, textAlign: 'center' }}>
        <Link to="/track" data-testid="login-track-link">
          {t('login.track')}
        </Link>
      </Typography.Paragraph>
    </PublicShell>
  );
}
