// The current language (English or Russian), remembered in localStorage, and `t()` to translate.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en } from './en.js';
import type { MessageKey } from './en.js';
import { ru } from './ru.js';

export type Language = 'en' | 'ru';
export const languages: Array<{ code: Language; label: string }> = [
  { code: 'en', label: 'English' },
  { code: 'ru', label: 'Русский' },
];

const dictionaries: Record<Language, Record<MessageKey, string>> = { en, ru };
const storageKey = 'vestnik.language';

export function initialLanguage(): Language {
  const saved = localStorage.getItem(storageKey);
  if (saved === 'en' || saved === 'ru') return saved;
  return navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export function saveLanguage(language: Language): void {
  localStorage.setItem(storageKey, language);
  document.documentElement.lang = language;
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(language: Language): Translate {
  const dictionary = dictionaries[language];
  return (key, params) => {
    let text = dictionary[key];
    if (params)
      for (const [name, value] of Object.entries(params)) text = text.replaceAll(`{${name}}`, String(value));
    return text;
  };
}

export interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  t: Translate;
}

export const I18nContext = createContext<I18n>({
  language: 'en',
  setLanguage: () => {},
  t: translator('en'),
});

export function useI18n(): I18n {
  return useContext(I18nContext);
}

/** Formats money and dates the way the chosen language writes them. */
export function formatMoney(language: Language, value: number): string {
  return value.toLocaleString(language === 'ru' ? 'ru-RU' : 'en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
}

export function formatDate(language: Language, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(language === 'ru' ? 'ru-RU' : 'en-GB', {
    dateStyle: 'short',
    timeStyle: 'short',
  });
}
