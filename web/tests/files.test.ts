import { describe, expect, it } from 'vitest';
import { isSendKey } from '../src/ui/files/composerPrefs';
import { formatSize, iconLabel, isPreviewable, kindOf, splitNameAndSize } from '../src/ui/files/kinds';
import { parseNotation, plainText } from '../src/ui/notation/parse';

describe('upload messages', () => {
  it('marks a file that has a [preview] as an image', () => {
    const nodes = parseNotation('Look\n[info][title][dtext:file_uploaded][/title][preview id=7 ht=16][download:7]a b.png (18.75 KB)[/download][/info]');
    expect(nodes[0]).toEqual({ kind: 'text', text: 'Look\n' });
    expect(nodes[1]).toMatchObject({ kind: 'info', title: [{ kind: 'dtext', key: 'file_uploaded' }] });
    const file = nodes[1].kind === 'info' ? nodes[1].children[0] : undefined;
    expect(file).toEqual({ kind: 'file', fileId: 7, preview: true, children: [{ kind: 'text', text: 'a b.png (18.75 KB)' }] });
    expect(file && plainText([file], String)).toBe('a b.png (18.75 KB)');
  });

  it('leaves other files without the mark, and a preview of another file does not count', () => {
    expect(parseNotation('[download:3]notes.txt (27 B)[/download]')).toEqual([{ kind: 'file', fileId: 3, children: [{ kind: 'text', text: 'notes.txt (27 B)' }] }]);
    expect(parseNotation('[preview id=4 ht=16][download:3]x.png (1 B)[/download]')[0]).not.toHaveProperty('preview');
  });

  it('splits the name and the size the server wrote', () => {
    expect(splitNameAndSize('report (final).pdf (1.50 MB)')).toEqual({ name: 'report (final).pdf', size: '1.50 MB' });
    expect(splitNameAndSize('notes.txt (27 B)')).toEqual({ name: 'notes.txt', size: '27 B' });
    expect(splitNameAndSize('hand written')).toEqual({ name: 'hand written' });
  });

  it('formats sizes as the server does', () => {
    expect(formatSize(70)).toBe('70 B');
    expect(formatSize(19200)).toBe('18.75 KB');
    expect(formatSize(1572864)).toBe('1.50 MB');
  });

  it('knows kinds by name', () => {
    expect(kindOf('Plan.PDF')).toBe('pdf');
    expect(kindOf('sheet.xlsx')).toBe('sheet');
    expect(kindOf('noext')).toBe('other');
    expect(iconLabel('archive.tar.gz')).toBe('GZ');
    expect(iconLabel('.bashrc')).toBe('FILE');
    expect(isPreviewable('photo.JPEG')).toBe(true);
    expect(isPreviewable('vector.svg')).toBe(false);
  });
});

describe('the send key', () => {
  const key = (init: Partial<KeyboardEvent>) => ({ key: 'Enter', isComposing: false, keyCode: 13, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...init }) as KeyboardEvent;

  it('with Enter to send: Enter sends, Shift+Enter does not', () => {
    expect(isSendKey(key({}), true)).toBe(true);
    expect(isSendKey(key({ shiftKey: true }), true)).toBe(false);
    expect(isSendKey(key({ ctrlKey: true }), true)).toBe(true);
  });

  it('without it: only Ctrl or Cmd with Enter sends', () => {
    expect(isSendKey(key({}), false)).toBe(false);
    expect(isSendKey(key({ ctrlKey: true }), false)).toBe(true);
    expect(isSendKey(key({ metaKey: true }), false)).toBe(true);
  });

  it('never while an IME is composing', () => {
    expect(isSendKey(key({ isComposing: true }), true)).toBe(false);
    expect(isSendKey(key({ keyCode: 229 }), true)).toBe(false);
    expect(isSendKey(key({ keyCode: 229, ctrlKey: true }), false)).toBe(false);
    expect(isSendKey(key({ key: 'a' }), true)).toBe(false);
  });
});
