// Builds elements from the notation tree. Text goes in as text nodes only: nothing a user wrote
// is ever parsed as HTML.
import type { ComponentChildren } from 'preact';
import type { Account } from '../../api/types';
import type { Lang, Strings } from '../i18n';
import { TaskCard } from '../tasks/TaskCard';
import { Avatar } from '../Avatar';
import type { Node } from './parse';

export interface RenderContext {
  t: Strings;
  person: (id: number) => Account | undefined;
  formatTime: (unix: number) => string;
  meId: number | undefined;
  // Opens a room at a message ([rp to=ROOM-MSG] links there when the reader is in that room).
  openMessage?: { can: (roomId: number) => boolean; open: (roomId: number, messageId: string) => void; label: (name: string) => string };
  lang?: Lang;
  // The message being rendered, and the current status of the task it announces (if known).
  messageId?: string;
  taskStatus?: (messageId: string) => 'open' | 'done' | undefined;
  // Draws a file's card ([download:ID]…[/download]); without it the file is its name in bold.
  file?: (n: Extract<Node, { kind: 'file' }>, key: number) => ComponentChildren;
}

function nameOf(ctx: RenderContext, id: number): string {
  return ctx.person(id)?.name ?? `#${id}`;
}

export function renderNodes(nodes: Node[], ctx: RenderContext): ComponentChildren[] {
  return nodes.map((n, i) => renderNode(n, ctx, i));
}

function renderNode(n: Node, ctx: RenderContext, key: number): ComponentChildren {
  switch (n.kind) {
    case 'text':
      return n.text;
    case 'to':
      return (
        <span key={key} class={`chip chip-to${n.accountId === ctx.meId ? ' chip-me' : ''}`}>
          <span class="chip-tag">{ctx.t.to}</span>
          {nameOf(ctx, n.accountId)}
        </span>
      );
    case 'toall':
      return (
        <span key={key} class="chip chip-to chip-me">
          {ctx.t.toAll}
        </span>
      );
    case 'reply': {
      const link = ctx.openMessage;
      if (link && n.roomId !== undefined && n.messageId && /^[1-9][0-9]*$/.test(n.messageId) && link.can(n.roomId)) {
        const { roomId, messageId } = n;
        return (
          <a
            key={key}
            class={`chip chip-reply chip-link${n.accountId === ctx.meId ? ' chip-me' : ''}`}
            href={`/rooms/${roomId}?message=${messageId}`}
            title={link.label(nameOf(ctx, n.accountId))}
            onClick={(e) => {
              if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return; // a new tab
              e.preventDefault();
              link.open(roomId, messageId);
            }}
          >
            <span class="chip-tag">{ctx.t.re}</span>
            {nameOf(ctx, n.accountId)}
          </a>
        );
      }
      return (
        <span key={key} class={`chip chip-reply${n.accountId === ctx.meId ? ' chip-me' : ''}`}>
          <span class="chip-tag">{ctx.t.re}</span>
          {nameOf(ctx, n.accountId)}
        </span>
      );
    }
    case 'quote': {
      const author = n.accountId !== undefined ? ctx.person(n.accountId) : undefined;
      return (
        <blockquote key={key} class="quote">
          {n.accountId !== undefined && (
            <div class="quote-meta">
              <Avatar account={author ?? { account_id: n.accountId, name: `#${n.accountId}`, avatar_image_url: '' }} size="xs" />
              <span class="quote-author">{nameOf(ctx, n.accountId)}</span>
              {n.time !== undefined && <time dateTime={new Date(n.time * 1000).toISOString()}>{ctx.formatTime(n.time)}</time>}
            </div>
          )}
          <div class="quote-body">{renderNodes(n.children, ctx)}</div>
        </blockquote>
      );
    }
    case 'info':
      return (
        <section key={key} class={`info-box${isFileInfo(n) ? ' info-box-file' : ''}`}>
          {n.title && <div class="info-title">{renderNodes(n.title, ctx)}</div>}
          <div class="info-body">{renderNodes(n.children, ctx)}</div>
        </section>
      );
    case 'code':
      return (
        <pre key={key} class="code-block">
          <code>{n.text}</code>
        </pre>
      );
    case 'hr':
      return <hr key={key} class="rule" />;
    case 'person': {
      const account = ctx.person(n.accountId) ?? { account_id: n.accountId, name: `#${n.accountId}`, avatar_image_url: '' };
      return (
        <span key={key} class="person">
          {n.icon && <Avatar account={account} size="xs" />}
          {n.name && <span class="person-name">{account.name}</span>}
        </span>
      );
    }
    case 'dtext':
      return ctx.t.dtext[n.key] ?? n.key;
    case 'task':
      return (
        <TaskCard key={key} n={n} ctx={ctx}>
          {renderNodes(n.children, ctx)}
        </TaskCard>
      );
    case 'file':
      if (ctx.file) return ctx.file(n, key);
      return (
        <span key={key} class="file-ref">
          {renderNodes(n.children, ctx)}
        </span>
      );
    case 'deleted':
      return (
        <span key={key} class="deleted">
          {ctx.t.deletedMessage}
        </span>
      );
  }
}

// The [info] of an upload message ([title][dtext:file_uploaded][/title]…): styled as a file card.
function isFileInfo(n: Extract<Node, { kind: 'info' }>): boolean {
  return n.title?.length === 1 && n.title[0].kind === 'dtext' && n.title[0].key === 'file_uploaded';
}
