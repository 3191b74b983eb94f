// The few Node globals the fixtures use (no @types/node needed).
declare const process: {
  argv: string[];
  exit(code: number): never;
  stdout: { write(text: string): boolean };
};
