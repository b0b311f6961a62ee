// Settings (/settings): the profile (picture and fields), the language, the password, and signing
// out — the last two also for a phone, whose header has no room for the language or sign-out.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api/http';
import { Avatar } from '../Avatar';
import type { Strings } from '../i18n';
import { Page } from '../Page';
import type { Store } from '../store';
import { editableFields, kMaxPassword, kMaxPictureBytes, kMinPassword, kPictureTypes, type Profile, type ProfileEdit } from './api';
import { failureOf, settingsModel, type Failure, type SettingsModel } from './model';
import './settings.css';
import { settingsStrings, type SettingsStrings } from './strings';

type Notice = { kind: 'ok'; text: string } | { kind: 'error'; text: string } | null;

const say = (s: SettingsStrings, failure: Failure): string => (typeof failure === 'string' ? s[failure] : failure.server);

export function SettingsPage({ store, t }: { store: Store; t: Strings }) {
  const model = settingsModel(store);
  const s = settingsStrings[store.state.lang];
  useEffect(() => {
    if (!model.profile && !model.loading) void model.load();
  }, [model]);

  return (
    <Page store={store} t={t} title={t.nav.settings}>
      <div class="settings">
        <section class="settings-card" aria-labelledby="settings-profile">
          <h2 id="settings-profile" class="settings-heading">
            {s.profile}
          </h2>
          <p class="settings-lead">{s.profileLead}</p>
          {model.profile ? (
            <>
              <PictureEditor model={model} profile={model.profile} s={s} />
              <ProfileForm key={model.profile.account_id} model={model} profile={model.profile} s={s} />
            </>
          ) : model.loadFailure ? (
            <div class="settings-notice settings-notice-error" role="alert">
              {s.loadFailed} {say(s, model.loadFailure)}{' '}
              <button type="button" class="button" onClick={() => void model.load()}>
                {s.retry}
              </button>
            </div>
          ) : (
            <p class="settings-lead" role="status">
              {t.loading}
            </p>
          )}
        </section>
        <LanguageSection store={store} s={s} />
        <PasswordSection model={model} s={s} />
        <section class="settings-card" aria-labelledby="settings-account">
          <h2 id="settings-account" class="settings-heading">
            {s.account}
          </h2>
          <SignOut store={store} s={s} />
        </section>
      </div>
    </Page>
  );
}

function PictureEditor({ model, profile, s }: { model: SettingsModel; profile: Profile; s: SettingsStrings }) {
  const input = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<{ file: File; url: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  // The preview's object URL lives as long as the choice.
  useEffect(() => () => chosen && URL.revokeObjectURL(chosen.url), [chosen]);

  const choose = (e: Event) => {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    (e.currentTarget as HTMLInputElement).value = '';
    if (!file) return;
    if (!kPictureTypes.includes(file.type)) return setNotice({ kind: 'error', text: s.pictureWrongType });
    if (file.size > kMaxPictureBytes) return setNotice({ kind: 'error', text: s.pictureTooBig });
    setNotice(null);
    setChosen({ file, url: URL.createObjectURL(file) });
  };
  const run = async (action: () => Promise<void>, done: string) => {
    setBusy(true);
    setNotice(null);
    try {
      await action();
      setChosen(null);
      setNotice({ kind: 'ok', text: done });
    } catch (e) {
      const failure = failureOf(e);
      // The server tells a file that is not an image by its bytes.
      setNotice({ kind: 'error', text: e instanceof ApiError && e.status === 400 ? s.pictureWrongType : say(s, failure) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="settings-picture">
      <div class="settings-avatar">
        {chosen ? <img class="avatar" src={chosen.url} alt={s.picturePreview} /> : <Avatar account={profile} />}
      </div>
      <div class="settings-picture-side">
        <span class="settings-label" id="settings-picture-label">
          {s.picture}
        </span>
        <p class="settings-hint">{s.pictureHint}</p>
        <input ref={input} id="settings-picture-file" class="settings-file" type="file" name="avatar" accept={kPictureTypes.join(',')} aria-labelledby="settings-picture-label" onChange={choose} />
        <div class="settings-actions">
          {chosen ? (
            <>
              <button type="button" class="button button-primary" disabled={busy} onClick={() => void run(() => model.uploadPicture(chosen.file, chosen.file.name), s.pictureSaved)}>
                {busy ? s.saving : s.uploadPicture}
              </button>
              <button type="button" class="button" disabled={busy} onClick={() => setChosen(null)}>
                {s.cancelPicture}
              </button>
            </>
          ) : (
            <>
              <button type="button" class="button" disabled={busy} onClick={() => input.current?.click()}>
                {s.choosePicture}
              </button>
              {profile.avatar_image_url && (
                <button type="button" class="button button-quiet settings-danger" disabled={busy} onClick={() => void run(() => model.removePicture(), s.pictureRemoved)}>
                  {s.removePicture}
                </button>
              )}
            </>
          )}
        </div>
        <NoticeLine notice={notice} />
      </div>
    </div>
  );
}

const kFieldLabels: Record<Exclude<keyof ProfileEdit, 'name'>, keyof SettingsStrings> = {
  title: 'title',
  department: 'department',
  url: 'url',
  introduction: 'introduction',
  tel_organization: 'telOrganization',
  tel_extension: 'telExtension',
  tel_mobile: 'telMobile',
};

function ProfileForm({ model, profile, s }: { model: SettingsModel; profile: Profile; s: SettingsStrings }) {
  const initial = () => Object.fromEntries(editableFields.map((f) => [f, profile[f] ?? ''])) as unknown as ProfileEdit;
  const [edit, setEdit] = useState<ProfileEdit>(initial);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const [invalid, setInvalid] = useState<keyof ProfileEdit | null>(null);
  const changed = editableFields.some((f) => edit[f] !== (profile[f] ?? ''));
  const field = (f: keyof ProfileEdit) => ({
    name: f,
    value: edit[f],
    'aria-invalid': invalid === f,
    onInput: (e: Event) => {
      setEdit({ ...edit, [f]: (e.currentTarget as HTMLInputElement).value });
      setNotice(null);
    },
  });

  const submit = async (e: Event) => {
    e.preventDefault();
    const trimmed = Object.fromEntries(editableFields.map((f) => [f, edit[f].trim()])) as unknown as ProfileEdit;
    if (!trimmed.name) {
      setInvalid('name');
      return setNotice({ kind: 'error', text: s.nameRequired });
    }
    if (trimmed.url && !/^https?:\/\/\S+$/i.test(trimmed.url)) {
      setInvalid('url');
      return setNotice({ kind: 'error', text: s.urlInvalid });
    }
    setInvalid(null);
    setBusy(true);
    setNotice(null);
    try {
      await model.saveProfile(trimmed);
      setEdit(trimmed);
      setNotice({ kind: 'ok', text: s.profileSaved });
    } catch (err) {
      setNotice({ kind: 'error', text: say(s, failureOf(err)) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="settings-form" onSubmit={(e) => void submit(e)} noValidate>
      <div class="settings-hinted settings-field-wide">
        <label class="field">
          <span>{s.name}</span>
          <input type="text" autocomplete="name" maxLength={255} required aria-describedby="settings-name-hint" {...field('name')} />
        </label>
        <small id="settings-name-hint" class="settings-hint">
          {s.nameHint}
        </small>
      </div>
      {(['title', 'department'] as const).map((f) => (
        <label key={f} class="field">
          <span>{s[kFieldLabels[f]]}</span>
          <input type="text" maxLength={255} autocomplete={f === 'title' ? 'organization-title' : 'off'} {...field(f)} />
        </label>
      ))}
      <div class="field">
        <span>{s.organization}</span>
        <p class="settings-fixed">{profile.organization_name || '—'}</p>
      </div>
      <div class="field">
        <span>{s.email}</span>
        <p class="settings-fixed" title={s.notEditable}>
          {profile.login_mail || profile.mail}
        </p>
      </div>
      <div class="settings-hinted settings-field-wide">
        <label class="field">
          <span>{s.url}</span>
          <input type="url" inputMode="url" maxLength={2048} autocomplete="url" placeholder="https://" aria-describedby="settings-url-hint" {...field('url')} />
        </label>
        <small id="settings-url-hint" class="settings-hint">
          {s.urlHint}
        </small>
      </div>
      {(['tel_organization', 'tel_extension', 'tel_mobile'] as const).map((f) => (
        <label key={f} class="field">
          <span>{s[kFieldLabels[f]]}</span>
          <input type="tel" maxLength={255} autocomplete={f === 'tel_mobile' ? 'tel' : 'off'} {...field(f)} />
        </label>
      ))}
      <label class="field settings-field-wide">
        <span>{s.introduction}</span>
        <textarea class="settings-textarea" rows={4} maxLength={2000} {...field('introduction')} />
      </label>
      <div class="settings-actions settings-field-wide">
        <button type="submit" class="button button-primary" disabled={busy || !changed}>
          {busy ? s.saving : s.saveProfile}
        </button>
        <NoticeLine notice={notice} />
      </div>
    </form>
  );
}

function LanguageSection({ store, s }: { store: Store; s: SettingsStrings }) {
  const lang = store.state.lang;
  return (
    <section class="settings-card" aria-labelledby="settings-language">
      <h2 id="settings-language" class="settings-heading">
        {s.language}
      </h2>
      <p class="settings-lead">{s.languageLead}</p>
      <div class="settings-langs" role="group" aria-labelledby="settings-language">
        {(
          [
            ['ja', '日本語'],
            ['en', 'English'],
          ] as const
        ).map(([code, label]) => (
          <button key={code} type="button" lang={code} class={`toggle settings-lang${lang === code ? ' toggle-on' : ''}`} aria-pressed={lang === code} onClick={() => store.setLang(code)}>
            {label}
          </button>
        ))}
      </div>
    </section>
  );
}

function PasswordSection({ model, s }: { model: SettingsModel; s: SettingsStrings }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const [invalid, setInvalid] = useState<'current' | 'next' | 'again' | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    const fail = (which: 'current' | 'next' | 'again', text: string) => {
      setInvalid(which);
      setNotice({ kind: 'error', text });
    };
    if (!current) return fail('current', s.passwordWrong);
    if ([...next].length < kMinPassword) return fail('next', s.passwordTooShort);
    if ([...next].length > kMaxPassword) return fail('next', s.passwordTooLong);
    if (next !== again) return fail('again', s.passwordMismatch);
    setInvalid(null);
    setBusy(true);
    setNotice(null);
    try {
      await model.changePassword(current, next);
      setCurrent('');
      setNext('');
      setAgain('');
      setNotice({ kind: 'ok', text: s.passwordChanged });
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.errors.some((m) => m.includes('current_password'))) {
        setCurrent('');
        fail('current', s.passwordWrong);
      } else {
        setNotice({ kind: 'error', text: say(s, failureOf(err)) });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="settings-card" aria-labelledby="settings-password">
      <h2 id="settings-password" class="settings-heading">
        {s.password}
      </h2>
      <p class="settings-lead">{s.passwordLead}</p>
      <form class="settings-form settings-form-narrow" onSubmit={(e) => void submit(e)} noValidate>
        {/* Lets a password manager tie the new password to the account. */}
        <input type="text" class="settings-file" name="username" autocomplete="username" value={model.profile?.login_mail ?? ''} readOnly tabIndex={-1} aria-hidden="true" />
        <label class="field settings-field-wide">
          <span>{s.currentPassword}</span>
          <input type="password" name="current_password" autocomplete="current-password" value={current} aria-invalid={invalid === 'current'} onInput={(e) => setCurrent(e.currentTarget.value)} />
        </label>
        <div class="settings-hinted settings-field-wide">
          <label class="field">
            <span>{s.newPassword}</span>
            <input type="password" name="new_password" autocomplete="new-password" value={next} aria-invalid={invalid === 'next'} aria-describedby="settings-password-rules" onInput={(e) => setNext(e.currentTarget.value)} />
          </label>
          <small id="settings-password-rules" class="settings-hint">
            {s.passwordRules}
          </small>
        </div>
        <label class="field settings-field-wide">
          <span>{s.confirmPassword}</span>
          <input type="password" name="confirm_password" autocomplete="new-password" value={again} aria-invalid={invalid === 'again'} onInput={(e) => setAgain(e.currentTarget.value)} />
        </label>
        <div class="settings-actions settings-field-wide">
          <button type="submit" class="button button-primary" disabled={busy || !current || !next || !again}>
            {busy ? s.saving : s.changePassword}
          </button>
          <NoticeLine notice={notice} />
        </div>
      </form>
    </section>
  );
}

function SignOut({ store, s }: { store: Store; s: SettingsStrings }) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const signOut = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await store.signOut();
    } catch (e) {
      setFailure(failureOf(e));
      setBusy(false);
    }
  };
  return (
    <div class="settings-signout">
      <p class="settings-lead">{s.signOutLead}</p>
      <button type="button" class="button settings-signout-button" disabled={busy} onClick={() => void signOut()}>
        {busy ? s.signingOut : s.signOut}
      </button>
      {failure && (
        <p class="settings-notice settings-notice-error" role="alert">
          {say(s, failure)}
        </p>
      )}
    </div>
  );
}

// One line under a form: what happened, announced to screen readers.
function NoticeLine({ notice }: { notice: Notice }) {
  return (
    <p class={`settings-notice${notice ? ` settings-notice-${notice.kind}` : ''}`} role="status">
      {notice?.text ?? ''}
    </p>
  );
}
