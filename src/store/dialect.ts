// Which SQL database a store runs on: the one fact migrations and dialect-aware queries need,
// kept apart from connect.ts so that they do not import the module that runs them.
export type DialectName = 'sqlite' | 'postgres';
