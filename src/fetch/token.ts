/**
 * The EOG account token: from NTL_EOG_TOKEN, or from the file NTL_EOG_TOKEN_FILE names. Never from the
 * command line (it would land in shell history and `ps`), and never echoed: every message that could
 * carry it goes through `redact`.
 */
import { readFileSync } from 'node:fs';
import { NtlError } from '../errors.js';

export const TOKEN_ENV = 'NTL_EOG_TOKEN';
export const TOKEN_FILE_ENV = 'NTL_EOG_TOKEN_FILE';
/** Extra hosts (host or host:port, comma-separated) that may receive the token; EOG's own host always may. */
export const TOKEN_HOSTS_ENV = 'NTL_EOG_TOKEN_HOSTS';
const EOG_HOSTS = ['eogdata.mines.edu'];

export interface Token {
  readonly value: string;
  /** Where it came from, for messages ("NTL_EOG_TOKEN", "the file in NTL_EOG_TOKEN_FILE"). */
  readonly from: string;
  /** Hosts (lower-case host or host:port) the token is sent to. */
  readonly hosts: readonly string[];
}

export function readToken(env: NodeJS.ProcessEnv = process.env): Token | undefined {
  const hosts = [...EOG_HOSTS, ...(env[TOKEN_HOSTS_ENV] ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean)];
  const direct = env[TOKEN_ENV];
  if (direct !== undefined && direct.trim() !== '') return { value: direct.trim(), from: TOKEN_ENV, hosts };
  const file = env[TOKEN_FILE_ENV];
  if (file === undefined || file.trim() === '') return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a folder' : 'cannot be read';
    throw new NtlError(`${TOKEN_FILE_ENV} names ${file}: ${why}; point it at the file holding your EOG token`);
  }
  const value = text.trim();
  if (value === '' || /\s/.test(value)) {
    throw new NtlError(`the token file ${file} (${TOKEN_FILE_ENV}) must hold exactly one token on one line; it is ${value === '' ? 'empty' : 'not a single word'}`);
  }
  return { value, from: `the file in ${TOKEN_FILE_ENV}`, hosts };
}

/** May this URL receive the token? Only https hosts on the list (or any listed host:port, for local tests). */
export function tokenAllowedFor(token: Token, url: URL): boolean {
  const host = url.hostname.toLowerCase();
  const hostPort = url.host.toLowerCase();
  if (token.hosts.includes(hostPort)) return true;
  return url.protocol === 'https:' && token.hosts.includes(host);
}

/** Replace every occurrence of the token in a text (messages, logs) by "***". */
export function redact(text: string, token: Token | undefined): string {
  if (!token || token.value.length < 4) return text;
  return text.split(token.value).join('***');
}
