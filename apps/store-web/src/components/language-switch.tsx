// The language switch (English / Russian), a labelled select.
import { languages, useI18n } from '../i18n/i18n.js';
import type { Language } from '../i18n/i18n.js';

export function LanguageSwitch() {
  const { t, language, setLanguage } = useI18n();
  return (
    <label class="language">
      {t('language')}
      <select value={language} onChange={(e) => setLanguage(e.currentTarget.value as Language)}>
        {languages.map((l) => (
          <option key={l.code} value={l.code}>
            {l.label}
          </option>
        ))}
      </select>
    </label>
  );
}
