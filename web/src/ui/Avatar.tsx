// A person's picture, or their initials on a colour derived from their id (the same everywhere).
import type { Account } from '../api/types';

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  // Japanese names are often unspaced: the first character reads well on its own.
  const first = [...parts[0]][0] ?? '?';
  if (parts.length === 1 || !/^[A-Za-z]/.test(first)) return first.toUpperCase();
  return (first + ([...parts[parts.length - 1]][0] ?? '')).toUpperCase();
}

// Same-origin pictures only: the Content-Security-Policy allows no other image source.
function usablePicture(url: string): boolean {
  return url.startsWith('/') || (typeof location !== 'undefined' && url.startsWith(`${location.origin}/`) && !url.includes('/icons/'));
}

export function Avatar({ account, size = 'md' }: { account: Account; size?: 'xs' | 'sm' | 'md' }) {
  const colour = `c${Math.abs(account.account_id) % 8}`;
  if (account.avatar_image_url && usablePicture(account.avatar_image_url)) {
    return <img class={`avatar avatar-${size}`} src={account.avatar_image_url} alt="" />;
  }
  return (
    <span class={`avatar avatar-${size} avatar-${colour}`} aria-hidden="true">
      {initials(account.name)}
    </span>
  );
}
