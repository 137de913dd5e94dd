import { Suspense, useMemo, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Avatar, Button, Drawer, Dropdown, Grid, Layout, Menu, Space, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { BankOutlined, DownOutlined, LockOutlined, LogoutOutlined, MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { useAuth, useUser } from '../auth/AuthContext.tsx';
import { useT } from '../i18n/index.tsx';
import { LanguageSwitch, Logo } from '../components/Brand.tsx';
import { NAV, navKeyFor } from '../nav.tsx';
import { ErrorBoundary, PageLoading } from '../components/PageStates.tsx';
import { ChangePasswordModal } from './ChangePasswordModal.tsx';

const { Header, Sider, Content, Footer } = Layout;

export default function AppLayout() {
  const t = useT();
  const user = useUser();
  const { can, logout } = useAuth();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const [changingPassword, setChangingPassword] = useState(false);
  // On a phone (below antd's sm, 576 px) the side menu gives way to a drawer opened from the header;
  // only one of them is rendered so that each menu entry's test id stays unique.
  const phone = Grid.useBreakpoint().sm === false;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const navigate = useNavigate();
  // a click on the item outside its <Link> (padding, icon, collapsed sider) navigates too
  const onMenuClick: MenuProps['onClick'] = ({ key, domEvent }) => {
    setDrawerOpen(false);
    if ((domEvent.target as HTMLElement).closest('a')) return;
    const entry = NAV.find((n) => n.key === key);
    if (entry) navigate(entry.path);
  };

  const items: MenuProps['items'] = useMemo(() => {
    const visible = NAV.filter((n) => n.permission === null || can(n.permission));
    const entry = (n: (typeof NAV)[number]) => ({
      key: n.key,
      icon: <n.icon />,
      label: (
        <Link to={n.path} data-testid={`menu-${n.key}`}>
          {t(n.label)}
        </Link>
      ),
    });
    const home = visible.filter((n) => n.key === 'home').map(entry);
    const groups = [
      { key: 'business', label: t('menu.groupBusiness'), children: visible.filter((n) => n.key !== 'home' && n.group === 'business').map(entry) },
      { key: 'system', label: t('menu.groupSystem'), children: visible.filter((n) => n.key !== 'home' && !n.group).map(entry) },
    ].filter((g) => g.children.length > 0);
    // a collapsed sider has no room for the group title
    return [
      ...home,
      ...groups.flatMap((g): NonNullable<MenuProps['items']> =>
        collapsed && !phone ? [{ type: 'divider' as const, key: `d-${g.key}` }, ...g.children] : [{ type: 'group' as const, key: g.key, label: g.label, children: g.children }],
      ),
    ];
  }, [can, t, collapsed, phone]);

  const userMenu: MenuProps = {
    items: [
      { key: 'change-password', icon: <LockOutlined />, label: <span data-testid="menu-change-password">{t('header.changePassword')}</span> },
      { type: 'divider' },
      { key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="menu-logout">{t('header.logout')}</span> },
    ],
    onClick: ({ key }) => {
      if (key === 'change-password') setChangingPassword(true);
      else if (key === 'logout') void logout();
    },
  };

  return (
    <Layout className="cf-shell">
      <Header className="cf-header">
        <Button
          type="text"
          className="cf-header-btn cf-header-menu-btn"
          icon={<MenuOutlined />}
          onClick={() => setDrawerOpen(true)}
          aria-label={t('header.menu')}
          data-testid="menu-drawer-open"
        />
        <Link to="/" className="cf-brand" data-testid="brand">
          <Logo />
          <span className="cf-brand-name">{t('app.name')}</span>
        </Link>
        <Space size={20} className="cf-header-right" wrap={false}>
          <span className="cf-header-item cf-header-org" data-testid="header-org" title={t('header.org')}>
            <BankOutlined /> {user.orgName}
          </span>
          <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
            <button type="button" className="cf-header-item cf-header-user" data-testid="header-user" title={t('header.userMenu')}>
              <Avatar size="small" icon={<UserOutlined />} className="cf-avatar" />
              <span className="cf-header-name">{user.displayName}</span>
              <Typography.Text className="cf-header-username">（{user.username}）</Typography.Text>
              <DownOutlined className="cf-header-caret" />
            </button>
          </Dropdown>
          <LanguageSwitch dark />
          <Button type="text" className="cf-header-btn" icon={<LogoutOutlined />} onClick={() => void logout()} title={t('header.logout')} data-testid="logout">
            <span className="cf-header-btn-text">{t('header.logout')}</span>
          </Button>
        </Space>
      </Header>
      <Layout>
        {!phone && (
          <Sider
            width={208}
            theme="light"
            className="cf-sider"
            collapsible
            collapsed={collapsed}
            trigger={null}
            breakpoint="lg"
            onBreakpoint={(broken) => setCollapsed(broken)}
          >
            <Menu mode="inline" selectedKeys={[navKeyFor(location.pathname)]} items={items} onClick={onMenuClick} className="cf-menu" data-testid="side-menu" />
            <div className="cf-sider-foot">
              <Button
                type="text"
                size="small"
                icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
                onClick={() => setCollapsed((c) => !c)}
                aria-label="toggle menu"
              />
            </div>
          </Sider>
        )}
        {phone && (
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            size={260}
            className="cf-menu-drawer"
            title={t('app.name')}
            destroyOnHidden
          >
            <Menu mode="inline" selectedKeys={[navKeyFor(location.pathname)]} items={items} onClick={onMenuClick} className="cf-menu" data-testid="side-menu" />
          </Drawer>
        )}
        <Layout className="cf-main">
          <Content className="cf-content">
            <ErrorBoundary resetKey={location.pathname}>
              <Suspense fallback={<PageLoading />}>
                <Outlet />
              </Suspense>
            </ErrorBoundary>
          </Content>
          <Footer className="cf-footer">cardflow · Apache-2.0</Footer>
        </Layout>
      </Layout>
      <ChangePasswordModal open={changingPassword} onClose={() => setChangingPassword(false)} />
    </Layout>
  );
}
