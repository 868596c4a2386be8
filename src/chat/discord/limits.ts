/** Discord's embed and message limits (developer docs, "Embed Limits"); every renderer stays inside them. */
export const LIMITS = {
  embedsPerMessage: 10,
  fieldsPerEmbed: 25,
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  /** Sum of every title, description, field name and value, footer and author name in one message. */
  charsPerMessage: 6000,
  content: 2000,
  threadName: 100,
  commandName: 32,
  commandDescription: 100,
  optionDescription: 100,
  choicesPerAutocomplete: 25,
  choiceName: 100,
  choiceValue: 100,
  /** Discord accepts nonces up to 25 characters. */
  nonce: 25,
} as const;

/** Embed colours by meaning. */
export const COLORS = {
  answer: 0x2f6f9f,
  choices: 0x8a6d3b,
  error: 0xb03a2e,
  empty: 0x7f8c8d,
  routine: 0x5d6d7e,
  notable: 0xd68910,
  breaking: 0xc0392b,
} as const;
