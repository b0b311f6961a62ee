// What a file is, from its name: the icon's kind and label, whether the browser can show it as an
// image; sizes in Kaiwa's format (the server writes "NAME (12.34 KB)" into the upload message).

export type FileKind = 'image' | 'pdf' | 'doc' | 'sheet' | 'slide' | 'archive' | 'text' | 'audio' | 'video' | 'other';

const kKinds: Record<string, FileKind> = {
  png: 'image', jpg: 'image', jpeg: 'image', gif: 'image', webp: 'image', bmp: 'image', svg: 'image', heic: 'image', tif: 'image', tiff: 'image',
  pdf: 'pdf',
  doc: 'doc', docx: 'doc', odt: 'doc', rtf: 'doc', pages: 'doc',
  xls: 'sheet', xlsx: 'sheet', ods: 'sheet', csv: 'sheet', tsv: 'sheet', numbers: 'sheet',
  ppt: 'slide', pptx: 'slide', odp: 'slide', key: 'slide',
  zip: 'archive', gz: 'archive', tgz: 'archive', bz2: 'archive', xz: 'archive', '7z': 'archive', rar: 'archive', tar: 'archive', lzh: 'archive',
  txt: 'text', md: 'text', log: 'text', json: 'text', xml: 'text', yaml: 'text', yml: 'text', html: 'text', css: 'text', js: 'text', ts: 'text', c: 'text', cc: 'text', h: 'text', py: 'text', sh: 'text',
  mp3: 'audio', wav: 'audio', m4a: 'audio', ogg: 'audio', flac: 'audio',
  mp4: 'video', mov: 'video', webm: 'video', avi: 'video', mkv: 'video',
};

// Shown inline: formats every browser decodes (SVG is not: it could carry script, and the
// server serves files as octet-stream anyway).
const kPreviewable = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp']);

const kMime: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : '';
}

export function kindOf(name: string): FileKind {
  return kKinds[extensionOf(name)] ?? 'other';
}

export function isPreviewable(name: string): boolean {
  return kPreviewable.has(extensionOf(name));
}

export function imageMime(name: string): string | undefined {
  return kMime[extensionOf(name)];
}

// The short label on the file icon: its extension, or a generic word.
export function iconLabel(name: string): string {
  const ext = extensionOf(name);
  if (!ext || ext.length > 4) return 'FILE';
  return ext.toUpperCase();
}

// Bytes as the server writes them in an upload message: "70 B", "12.34 KB", "1.50 MB".
export function formatSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let size = bytes;
  let unit = 0;
  while (size >= 1024 && unit + 1 < units.length) {
    size /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${size.toFixed(2)} ${units[unit]}`;
}

// "report.pdf (12.34 KB)" → name and size; a body written by hand may have no size.
export function splitNameAndSize(text: string): { name: string; size?: string } {
  const m = /^([\s\S]*?)\s*\((\d+(?:\.\d+)? (?:B|KB|MB|GB))\)\s*$/.exec(text);
  if (m && m[1].trim()) return { name: m[1].trim(), size: m[2] };
  return { name: text.trim() };
}
