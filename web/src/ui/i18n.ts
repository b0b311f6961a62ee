// Japanese and English strings. The language follows the browser until the user picks one in the
// header; the choice (only that) is remembered in localStorage.

export type Lang = 'ja' | 'en';

const en = {
  appName: 'Kaiwa',
  signInTitle: 'Sign in to Kaiwa',
  signInLead: 'Business chat for your team',
  email: 'Email',
  password: 'Password',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  signOut: 'Sign out',
  errWrongPassword: 'The email or password is incorrect.',
  errTooMany: 'Too many failed attempts. Please wait a few minutes and try again.',
  errMissing: 'Enter your email and password.',
  errNetwork: 'Cannot reach the server. Check your connection.',
  errGeneric: 'Something went wrong. Please try again.',
  language: 'Language',
  rooms: 'Chats',
  filterRooms: 'Filter chats',
  unreadOnly: 'Unread only',
  noRooms: 'No chats match.',
  myChat: 'My Chat',
  unreadCount: (n: number) => `${n} unread`,
  mentionCount: (n: number) => `${n} mentioning you`,
  pinned: 'Pinned',
  selectRoom: 'Select a chat to start talking.',
  loading: 'Loading…',
  loadingOlder: 'Loading older messages…',
  startOfRoom: 'This is the beginning of the chat.',
  newMessages: 'New messages',
  composerLabel: (room: string) => `Message to ${room}`,
  composerPlaceholder: 'Write a message (Enter to send, Shift+Enter for a new line)',
  send: 'Send',
  save: 'Save',
  cancel: 'Cancel',
  editing: 'Editing your message',
  edit: 'Edit',
  delete: 'Delete',
  reply: 'Reply',
  quote: 'Quote',
  confirmDelete: 'Delete this message?',
  edited: 'edited',
  readonly: 'You can read this chat but not post in it.',
  offline: 'Offline — reconnecting. Messages will appear when the connection returns.',
  back: 'Back to chats',
  members: (n: number) => (n === 1 ? '1 member' : `${n} members`),
  messageActions: 'Message actions',
  toAll: 'TO ALL',
  to: 'To',
  re: 'RE',
  sendFailed: 'Could not send. Try again.',
  today: 'Today',
  yesterday: 'Yesterday',
  timeline: (room: string) => `Messages in ${room}`,
  mainNav: 'Chat list',
  deletedMessage: 'This message was deleted.',
  skipToComposer: 'Skip to the message box',
  pagesNav: 'Pages',
  nav: { chat: 'Chats', tasks: 'My Tasks', contacts: 'Contacts', search: 'Search', settings: 'Settings' },
  searchPlaceholder: 'Search messages',
  roomInfo: 'Chat details',
  panel: { tasks: 'Tasks', files: 'Files', members: 'Members' },
  closePanel: 'Close the panel',
  dtext: {
    chatroom_groupchat_created: 'Group chat created',
    chatroom_chatname_is: 'Chat name: ',
    chatroom_set: ' ',
    chatroom_description_is: 'Description: ',
    chatroom_member_is: 'Members ',
    chatroom_added: ' joined',
    chatroom_leaved: ' left',
    chatroom_chat_edited: 'Chat edited',
    chatroom_contact_added: 'Added as a contact',
    task_added: 'Task added',
    task_edited: 'Task edited',
    task_done: 'Task completed',
    file_uploaded: 'File uploaded',
  } as Record<string, string>,
};

export type Strings = typeof en;

const ja: Strings = {
  appName: 'Kaiwa',
  signInTitle: 'Kaiwa にログイン',
  signInLead: 'チームのためのビジネスチャット',
  email: 'メールアドレス',
  password: 'パスワード',
  signIn: 'ログイン',
  signingIn: 'ログイン中…',
  signOut: 'ログアウト',
  errWrongPassword: 'メールアドレスまたはパスワードが正しくありません。',
  errTooMany: 'ログインの失敗が続いたため、しばらくお待ちください。数分後にもう一度お試しください。',
  errMissing: 'メールアドレスとパスワードを入力してください。',
  errNetwork: 'サーバーに接続できません。通信環境を確認してください。',
  errGeneric: 'エラーが発生しました。もう一度お試しください。',
  language: '言語',
  rooms: 'チャット',
  filterRooms: 'チャットを絞り込み',
  unreadOnly: '未読のみ',
  noRooms: '該当するチャットはありません。',
  myChat: 'マイチャット',
  unreadCount: (n) => `未読 ${n} 件`,
  mentionCount: (n) => `あなた宛て ${n} 件`,
  pinned: 'ピン留め',
  selectRoom: 'チャットを選んで会話を始めましょう。',
  loading: '読み込み中…',
  loadingOlder: '過去のメッセージを読み込み中…',
  startOfRoom: 'このチャットの最初のメッセージです。',
  newMessages: 'ここから未読',
  composerLabel: (room) => `${room} へのメッセージ`,
  composerPlaceholder: 'メッセージを入力（Enter で送信、Shift+Enter で改行）',
  send: '送信',
  save: '保存',
  cancel: 'キャンセル',
  editing: 'メッセージを編集中',
  edit: '編集',
  delete: '削除',
  reply: '返信',
  quote: '引用',
  confirmDelete: 'このメッセージを削除しますか？',
  edited: '編集済み',
  readonly: 'このチャットは閲覧のみです。',
  offline: 'オフラインです。再接続しています。接続が戻るとメッセージが表示されます。',
  back: 'チャット一覧に戻る',
  members: (n) => `メンバー ${n} 人`,
  messageActions: 'メッセージの操作',
  toAll: 'TO ALL',
  to: 'To',
  re: '返信',
  sendFailed: '送信できませんでした。もう一度お試しください。',
  today: '今日',
  yesterday: '昨日',
  timeline: (room) => `${room} のメッセージ`,
  mainNav: 'チャット一覧',
  deletedMessage: 'このメッセージは削除されました。',
  skipToComposer: 'メッセージ入力欄へ移動',
  pagesNav: 'ページ',
  nav: { chat: 'チャット', tasks: 'マイタスク', contacts: 'コンタクト', search: '検索', settings: '設定' },
  searchPlaceholder: 'メッセージを検索',
  roomInfo: 'チャットの詳細',
  panel: { tasks: 'タスク', files: 'ファイル', members: 'メンバー' },
  closePanel: 'パネルを閉じる',
  dtext: {
    chatroom_groupchat_created: 'グループチャットを作成しました',
    chatroom_chatname_is: 'チャット名：',
    chatroom_set: ' ',
    chatroom_description_is: '概要：',
    chatroom_member_is: 'メンバー ',
    chatroom_added: ' が参加しました',
    chatroom_leaved: ' が退出しました',
    chatroom_chat_edited: 'チャットを編集しました',
    chatroom_contact_added: 'コンタクトに追加しました',
    task_added: 'タスクを追加しました',
    task_edited: 'タスクを編集しました',
    task_done: 'タスクを完了しました',
    file_uploaded: 'ファイルをアップロードしました',
  },
};

export const strings: Record<Lang, Strings> = { en, ja };
const kStorageKey = 'kaiwa.lang';

export function initialLang(stored: string | null, browser: readonly string[]): Lang {
  if (stored === 'ja' || stored === 'en') return stored;
  for (const l of browser) {
    const base = l.toLowerCase().split('-')[0];
    if (base === 'ja') return 'ja';
    if (base === 'en') return 'en';
  }
  return 'en';
}

export function loadLang(): Lang {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(kStorageKey);
  } catch {
    stored = null;
  }
  return initialLang(stored, navigator.languages?.length ? navigator.languages : [navigator.language]);
}

export function saveLang(lang: Lang): void {
  try {
    localStorage.setItem(kStorageKey, lang);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}
