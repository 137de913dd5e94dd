import { useState } from 'react';
import { Alert, Form, Input, Modal, Typography } from 'antd';
import { api, isApiError, SESSION_LOST_CODES } from '../api/client.ts';
import { useAuth, useUser } from '../auth/AuthContext.tsx';
import { useFeedback } from '../components/feedback.ts';
import { useLocale, useT } from '../i18n/index.tsx';
import { serverRule } from '../lib/serverRules.ts';
import { assertPasswordPolicy, PASSWORD_MIN_LENGTH } from '../lib/validation.ts';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/**
 * POST /auth/password. The server ends every session of the user on success, so we then forget ours
 * and go to /login. A wrong current password answers 401 AUTH_INVALID_CREDENTIALS: that is shown here,
 * in the modal, and must not trigger the client's "session lost → /login" redirect.
 */
export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const [locale] = useLocale();
  const user = useUser();
  const { endSession, refresh } = useAuth();
  const { showSuccess, message } = useFeedback();
  const [form] = Form.useForm<PasswordForm>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    if (saving) return;
    const v = await form.validateFields();
    setSaving(true);
    setError(null);
    try {
      await api.post<void>('/auth/password', { currentPassword: v.currentPassword, newPassword: v.newPassword }, { noSessionRedirect: true });
    } catch (err) {
      setSaving(false);
      if (isApiError(err) && err.status === 401 && SESSION_LOST_CODES.includes(err.code)) {
        // the session itself has gone (expired, signed out elsewhere): handled like every other request
        onClose();
        void message.warning(err.message);
        void refresh();
        return;
      }
      setError(err instanceof Error ? err.message : String(err));
      if (isApiError(err, 'AUTH_INVALID_CREDENTIALS')) form.setFieldValue('currentPassword', '');
      return;
    }
    setSaving(false);
    onClose();
    showSuccess(t('password.changed'));
    endSession();
  };

  return (
    <Modal
      title={t('password.title')}
      open={open}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      confirmLoading={saving}
      okText={t('password.submit')}
      okButtonProps={{ 'data-testid': 'pwd-submit' }}
      afterOpenChange={(visible) => {
        if (!visible) {
          form.resetFields();
          setError(null);
        }
      }}
      forceRender
      width={480}
    >
      <Typography.Paragraph type="secondary">{t('password.notice')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="pwd-error" />}
      <Form<PasswordForm> form={form} layout="vertical" name="change-password" autoComplete="off" onValuesChange={() => setError(null)}>
        {/* lets password managers tie the new password to the right account */}
        <input type="text" name="username" autoComplete="username" value={user.username} readOnly hidden />
        <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('password.currentRequired') }]}>
          <Input.Password data-testid="pwd-current" autoComplete="current-password" maxLength={200} />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          extra={t('users.passwordHint', { min: PASSWORD_MIN_LENGTH })}
          rules={[{ required: true, message: t('password.newRequired') }, serverRule(locale, assertPasswordPolicy, { trim: false })]}
        >
          <Input.Password data-testid="pwd-new" autoComplete="new-password" maxLength={200} />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('password.confirmRequired') },
            ({ getFieldValue }) => ({
              validator: (_, v: string | undefined) => (!v || v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch')))),
            }),
          ]}
        >
          <Input.Password data-testid="pwd-confirm" autoComplete="new-password" maxLength={200} onPressEnter={() => void submit().catch(() => undefined)} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
