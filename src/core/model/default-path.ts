// Where the shipped model lives: its own module so front doors can name it without loading the model code.
/** Relative to the project root: every front door's default. */
export const DEFAULT_MODEL_PATH = 'models/ser-model.bin';
