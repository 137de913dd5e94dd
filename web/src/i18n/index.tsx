import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { setApiLocale } from '../api/client.ts';
import { zhCN, type MessageKey, type Messages } from './zh-CN.ts';
import { enUS } from './en-US.ts';

export type Locale = 'zh-CN' | 'en-US';
export type { MessageKey };

export const LOCALE_STORAGE_KEY = 'cardflow.locale';
const catalogs: Record<Locale, Messages> = { 'zh-CN': zhCN, 'en-US': enUS };

export type TFunction = (key: MessageKey, params?: Record<string, string | number>) => string;

function format(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(zhCN, key);
}

function readStoredLocale(): Locale {
  try {
    const v = window.localStorage.getItem(LOCALE_STORAGE_KEY);
    if (v === 'zh-CN' || v === 'en-US') return v;
  } catch {
    /* storage blocked: keep the default */
  }
  return 'zh-CN';
}

function applyLocale(locale: Locale): void {
  const m = catalogs[locale];
  setApiLocale(locale, { network: m['error.network'], http: m['error.http'] });
  dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
  document.documentElement.lang = locale;
}

interface I18nValue {
  locale: Locale;
  setLocale: (l: Locale) => void;
  t: TFunction;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => {
    const l = readStoredLocale();
    applyLocale(l); // before the first request goes out
    return l;
  });

  useEffect(() => {
    applyLocale(locale);
    document.title = catalogs[locale]['app.name'];
  }, [locale]);

  const setLocale = useCallback((l: Locale) => {
    try {
      window.localStorage.setItem(LOCALE_STORAGE_KEY, l);
    } catch {
      /* ignore */
    }
    applyLocale(l);
    setLocaleState(l);
  }, []);

  const t = useCallback<TFunction>((key, params) => format(catalogs[locale][key] ?? key, params), [locale]);
  const value = useMemo(() => ({ locale, setLocale, t }), [locale, setLocale, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function useI18n(): I18nValue {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useT() outside <I18nProvider>');
  return v;
}

export function useT(): TFunction {
  return useI18n().t;
}

export function useLocale(): [Locale, (l: Locale) => void] {
  const { locale, setLocale } = useI18n();
  return [locale, setLocale];
}

/** Helpers for codes that come from the server: translated when known, the raw code otherwise. */
export function useNames() {
  const t = useT();
  return useMemo(
    () => ({
      role: (code: string) => {
        const k = `role.${code}`;
        return isMessageKey(k) ? t(k) : code;
      },
      orgKind: (code: string) => {
        const k = `orgKind.${code}`;
        return isMessageKey(k) ? t(k) : code;
      },
      /** `${prefix}.${code}` when the catalogue has it (appStatus, appKind, appEvent, …), else the code */
      code: (prefix: string, code: string | null | undefined) => {
        if (!code) return '';
        const k = `${prefix}.${code}`;
        return isMessageKey(k) ? t(k) : code;
      },
    }),
    [t],
  );
}
