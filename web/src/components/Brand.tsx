import { Segmented, Tooltip } from 'antd';
import { useLocale, useT, type Locale } from '../i18n/index.tsx';

export function Logo({ size = 32 }: { size?: number }) {
  return (
    <span className="cf-logo" style={{ width: size, height: size, fontSize: size * 0.56 }} aria-hidden>
      证
    </span>
  );
}

export function LanguageSwitch({ dark = false }: { dark?: boolean }) {
  const [locale, setLocale] = useLocale();
  const t = useT();
  return (
    <Tooltip title={t('header.language')}>
      <Segmented<Locale>
        size="small"
        className={dark ? 'cf-lang cf-lang-dark' : 'cf-lang'}
        data-testid="lang-switch"
        value={locale}
        onChange={(v) => setLocale(v)}
        options={[
          { value: 'zh-CN', label: <span data-testid="lang-zh-CN">中文</span> },
          { value: 'en-US', label: <span data-testid="lang-en-US">EN</span> },
        ]}
      />
    </Tooltip>
  );
}
