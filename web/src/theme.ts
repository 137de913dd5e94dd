import type { ThemeConfig } from 'antd';

/** System fonts only: nothing is ever fetched from a font service. */
export const FONT_STACK =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'WenQuanYi Zen Hei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif";

export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1d5bbf',
    colorInfo: '#1d5bbf',
    borderRadius: 4,
    fontFamily: FONT_STACK,
    colorBgLayout: '#f0f2f5',
  },
  components: {
    Layout: { headerBg: '#0f3b82', headerHeight: 56, headerPadding: '0 20px', siderBg: '#ffffff' },
    Menu: { itemBorderRadius: 2, itemMarginInline: 0, itemSelectedBg: '#e8f0fc' },
    Table: { headerBg: '#f5f7fa' },
  },
};
