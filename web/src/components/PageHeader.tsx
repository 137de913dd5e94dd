import type { ReactNode } from 'react';
import { Space, Typography } from 'antd';

/** The top line of a console page: its title, an optional one-line hint, and the page's buttons on the right. */
export function PageHeader({ title, hint, children }: { title: ReactNode; hint?: ReactNode; children?: ReactNode }) {
  return (
    <div className="cf-page-header">
      <Typography.Title level={4} className="cf-page-title">
        {title}
        {hint && (
          <Typography.Text type="secondary" className="cf-page-hint">
            {hint}
          </Typography.Text>
        )}
      </Typography.Title>
      {children && <Space>{children}</Space>}
    </div>
  );
}
