// Placeholder: the CLI is filled in by issue 2.
export {};
