/** What a command writes to: standard output and standard error (the CLI's process streams, or a test's buffers). */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}
