import { Link } from 'react-router-dom';
import { Card, Col, Descriptions, Empty, Row, Space, Tag, Typography } from 'antd';
import { useAuth, useUser } from '../../auth/AuthContext.tsx';
import { useNames, useT } from '../../i18n/index.tsx';
import { NAV } from '../../nav.tsx';

export default function HomePage() {
  const t = useT();
  const names = useNames();
  const user = useUser();
  const { can } = useAuth();
  const links = NAV.filter((n) => n.key !== 'home' && n.permission !== null && can(n.permission));

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card data-testid="home-welcome">
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t('home.welcome', { name: user.displayName })}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('home.welcomeHint')}</Typography.Paragraph>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
          <Descriptions.Item label={t('home.username')}>
            <span data-testid="home-username">{user.username}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('home.org')}>
            <span data-testid="home-org">{user.orgName}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('home.orgKind')}>{names.orgKind(user.orgKind)}</Descriptions.Item>
          <Descriptions.Item label={t('home.roles')}>
            <span data-testid="home-roles">
              {user.roles.map((r) => (
                <Tag color="blue" key={r} data-role={r}>
                  {names.role(r)}
                </Tag>
              ))}
            </span>
          </Descriptions.Item>
          {user.phoneMasked && <Descriptions.Item label={t('home.phone')}>{user.phoneMasked}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Card title={t('home.quickLinks')} data-testid="home-quick-links">
        {links.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('home.noLinks')} />
        ) : (
          <Row gutter={[16, 16]}>
            {links.map((n) => (
              <Col key={n.key} xs={24} sm={12} lg={8} xl={6}>
                <Link to={n.path} data-testid={`quick-${n.key}`}>
                  <Card hoverable size="small" className="cf-quick-link">
                    <Card.Meta avatar={<n.icon />} title={t(n.label)} description={n.description ? t(n.description) : null} />
                  </Card>
                </Link>
              </Col>
            ))}
          </Row>
        )}
      </Card>
    </Space>
  );
}
