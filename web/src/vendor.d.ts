// Types for untyped dependencies (as src/fields/vendor.d.ts for the server): the userland
// punycode package, imported by its file path.
declare module 'punycode/punycode.js' {
  const punycode: {
    decode(input: string): string;
  };
  export = punycode;
}
