// Types for untyped dependencies. The bare 'punycode' name resolves to Node's deprecated builtin,
// so the userland package is imported by its file path, which @types/node does not describe.
declare module 'punycode/punycode.js' {
  const punycode: {
    readonly version: string;
    decode(input: string): string;
    encode(input: string): string;
    toASCII(domain: string): string;
    toUnicode(domain: string): string;
  };
  export = punycode;
}
