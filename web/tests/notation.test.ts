import { describe, expect, it } from 'vitest';
import { mentionsOf, parseNotation, plainText } from '../src/ui/notation/parse';

describe('parseNotation', () => {
  it('keeps plain text with line breaks as one text node', () => {
    expect(parseNotation('hello\nworld')).toEqual([{ kind: 'text', text: 'hello\nworld' }]);
  });

  it('never interprets HTML', () => {
    expect(parseNotation('<img src=x onerror=alert(1)>')).toEqual([{ kind: 'text', text: '<img src=x onerror=alert(1)>' }]);
  });

  it('parses To, toall and reply tags', () => {
    expect(parseNotation('[To:12]Sato-san [toall] [rp aid=5 to=7-1928374655918273645]Ito')).toEqual([
      { kind: 'to', accountId: 12 },
      { kind: 'text', text: 'Sato-san ' },
      { kind: 'toall' },
      { kind: 'text', text: ' ' },
      { kind: 'reply', accountId: 5, roomId: 7, messageId: '1928374655918273645' },
      { kind: 'text', text: 'Ito' },
    ]);
  });

  it('parses a quote with its author and time', () => {
    expect(parseNotation('[qt][qtmeta aid=3 time=1700000000]quoted\ntext[/qt]\nafter')).toEqual([
      { kind: 'quote', accountId: 3, time: 1700000000, children: [{ kind: 'text', text: 'quoted\ntext' }] },
      { kind: 'text', text: 'after' },
    ]);
  });

  it('parses a quote without time', () => {
    expect(parseNotation('[qt][qtmeta aid=3]x[/qt]')).toEqual([{ kind: 'quote', accountId: 3, time: undefined, children: [{ kind: 'text', text: 'x' }] }]);
  });

  it('parses an info box with a title, nested notation and a rule', () => {
    expect(parseNotation('[info][title]Release[/title]v1 is out[hr]see [To:2][/info]')).toEqual([
      {
        kind: 'info',
        title: [{ kind: 'text', text: 'Release' }],
        children: [{ kind: 'text', text: 'v1 is out' }, { kind: 'hr' }, { kind: 'text', text: 'see ' }, { kind: 'to', accountId: 2 }],
      },
    ]);
  });

  it('keeps tags inside code literal', () => {
    expect(parseNotation('[code]\nif (a[0]) [To:1] [info]\n[/code]')).toEqual([{ kind: 'code', text: 'if (a[0]) [To:1] [info]' }]);
  });

  it('leaves unbalanced and unknown tags as text', () => {
    expect(parseNotation('[info]open')).toEqual([{ kind: 'text', text: '[info]open' }]);
    expect(parseNotation('close[/qt] [foo] [To:abc]')).toEqual([{ kind: 'text', text: 'close[/qt] [foo] [To:abc]' }]);
    expect(parseNotation('[code]x')).toEqual([{ kind: 'text', text: '[code]x' }]);
  });

  it('does not let an inner unclosed tag swallow the outer close', () => {
    expect(parseNotation('[info][qt]abc[/info]')).toEqual([{ kind: 'info', children: [{ kind: 'text', text: '[qt]abc' }] }]);
  });

  it('turns a title outside info back into text', () => {
    expect(parseNotation('[title]T[/title]')).toEqual([{ kind: 'text', text: '[title]T[/title]' }]);
  });

  it('parses the system message of a new room', () => {
    const nodes = parseNotation('[info][title][dtext:chatroom_groupchat_created][/title][dtext:chatroom_chatname_is]Dev[dtext:chatroom_set]\n\n[dtext:chatroom_member_is][piconname:4][dtext:chatroom_added][/info]');
    expect(nodes).toHaveLength(1);
    expect(nodes[0]).toMatchObject({ kind: 'info', title: [{ kind: 'dtext', key: 'chatroom_groupchat_created' }] });
    expect(nodes[0].kind === 'info' && nodes[0].children).toContainEqual({ kind: 'person', accountId: 4, icon: true, name: true });
  });

  it('reports mentions outside quotes only', () => {
    const m = mentionsOf(parseNotation('[qt][qtmeta aid=1][To:9][/qt][To:2][rp aid=3 to=1-2][toall]'));
    expect([...m.ids].sort()).toEqual([2, 3]);
    expect(m.all).toBe(true);
  });

  it('makes a plain-text preview', () => {
    expect(plainText(parseNotation('[To:2]hi [code]x[/code]'), (id) => `user${id}`)).toBe('@user2 hi x');
  });
});
