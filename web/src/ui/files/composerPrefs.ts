// The composer's Enter-to-send preference (a preference, not a secret: kept in localStorage).
// On: Enter sends, Shift+Enter breaks the line. Off: Enter breaks the line. Ctrl/Cmd+Enter sends
// either way.
import { useState } from 'preact/hooks';

const kKey = 'kaiwa.enterToSend';

export function loadEnterToSend(): boolean {
  try {
    return localStorage.getItem(kKey) !== '0';
  } catch {
    return true;
  }
}

export function saveEnterToSend(on: boolean): void {
  try {
    localStorage.setItem(kKey, on ? '1' : '0');
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

export function useEnterToSend(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(loadEnterToSend);
  return [
    on,
    (next: boolean) => {
      saveEnterToSend(next);
      setOn(next);
    },
  ];
}

// Whether this keydown in the message box should send (IME conversion never does).
export function isSendKey(e: KeyboardEvent, enterSends: boolean): boolean {
  if (e.key !== 'Enter' || e.isComposing || e.keyCode === 229) return false;
  if (e.ctrlKey || e.metaKey) return true;
  return enterSends && !e.shiftKey && !e.altKey;
}
