// Encodes large JSON arrays record by record. One JSON.stringify of a whole 500-order page returns a rope
// whose first flattening (needed to encode it) costs more than the serialisation itself; per-record strings
// are flat, so encoding them into one pre-sized buffer is about twice as fast.

/** `head` + the items as a comma-separated JSON list + `tail`, as UTF-8. */
export function encodeJsonList(head: string, items: readonly unknown[], tail: string): Buffer {
  const parts = items.map((item) => JSON.stringify(item));
  let size = Buffer.byteLength(head) + Buffer.byteLength(tail) + Math.max(0, parts.length - 1);
  for (const part of parts) size += Buffer.byteLength(part);
  const out = Buffer.allocUnsafe(size);
  let offset = out.write(head, 0);
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) out[offset++] = 0x2c;
    offset += out.write(parts[i] as string, offset);
  }
  out.write(tail, offset);
  return out;
}
