// Stub of k6's `k6/encoding` module (standard base64 with padding, as k6's default).
export function b64encode(input) {
  return Buffer.from(input, typeof input === 'string' ? 'utf8' : undefined).toString('base64');
}

export function b64decode(input, encoding, format) {
  const bytes = Buffer.from(input, 'base64');
  return format === 's' ? bytes.toString('utf8') : bytes;
}

export default { b64encode, b64decode };
