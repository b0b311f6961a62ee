// Placeholder of the settings page; its feature fills it in.
import type { Strings } from '../i18n';
import { Page } from '../Page';
import type { Store } from '../store';

export function SettingsPage({ store, t }: { store: Store; t: Strings }) {
  return (
    <Page store={store} t={t} title={t.nav.settings}>
      <p class="empty">{t.loading}</p>
    </Page>
  );
}
