// Language picker (日本語 / English); the choice is remembered.
import type { Lang, Strings } from './i18n';
import type { Store } from './store';

export function LangSwitch({ store, t }: { store: Store; t: Strings }) {
  return (
    <select class="lang-switch" aria-label={t.language} value={store.state.lang} onChange={(e) => store.setLang(e.currentTarget.value as Lang)}>
      <option value="ja" lang="ja">
        日本語
      </option>
      <option value="en" lang="en">
        English
      </option>
    </select>
  );
}
