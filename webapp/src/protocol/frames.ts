import type { ServerFrame } from './types';

/**
 * A server frame holds one or more JSON objects separated by newlines (PROTOCOL.md section 4);
 * JSON text never contains a raw newline, so splitting is safe. A line that is not an object
 * with a type is skipped rather than failing the frame's other objects.
 */
export function splitFrame(data: string): ServerFrame[] {
  const out: ServerFrame[] = [];
  for (const line of data.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const obj = JSON.parse(line);
      if (obj && typeof obj === 'object' && typeof obj.type === 'string') out.push(obj as ServerFrame);
    } catch {
      console.warn('pekko-chat: unparsable line in server frame', line.slice(0, 200));
    }
  }
  return out;
}
