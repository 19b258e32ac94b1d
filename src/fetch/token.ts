/**
 * Account tokens for the data services that need one, each with its own environment variables and its own
 * hosts, so a token is only ever sent to the service that issued it:
 *
 * | service | token | token file | extra hosts | sent to |
 * |---|---|---|---|---|
 * | EOG (VNL, DMSP) | NTL_EOG_TOKEN | NTL_EOG_TOKEN_FILE | NTL_EOG_TOKEN_HOSTS | eogdata.mines.edu |
 * | NASA LAADS DAAC (Black Marble) | NTL_LAADS_TOKEN | NTL_LAADS_TOKEN_FILE | NTL_LAADS_TOKEN_HOSTS | ladsweb.modaps.eosdis.nasa.gov |
 *
 * Never from the command line (it would land in shell history and `ps`), and never echoed: every message
 * that could carry one goes through `redact`.
 */
import { readFileSync } from 'node:fs';
import { NtlError } from '../errors.js';

export interface TokenService {
  /** Short name for messages ("EOG", "LAADS DAAC"). */
  readonly name: string;
  readonly env: string;
  readonly fileEnv: string;
  /** Extra hosts (host or host:port, comma-separated) that may receive this token besides `hosts`. */
  readonly hostsEnv: string;
  readonly hosts: readonly string[];
  /** Where a user gets a fresh token. */
  readonly login: string;
}

export const EOG: TokenService = {
  name: 'EOG',
  env: 'NTL_EOG_TOKEN',
  fileEnv: 'NTL_EOG_TOKEN_FILE',
  hostsEnv: 'NTL_EOG_TOKEN_HOSTS',
  hosts: ['eogdata.mines.edu'],
  login: 'eogdata.mines.edu',
};

/** NASA LAADS DAAC: an Earthdata Login token ("Generate Token" on urs.earthdata.nasa.gov, or LAADS' own profile page). */
export const LAADS: TokenService = {
  name: 'LAADS DAAC',
  env: 'NTL_LAADS_TOKEN',
  fileEnv: 'NTL_LAADS_TOKEN_FILE',
  hostsEnv: 'NTL_LAADS_TOKEN_HOSTS',
  hosts: ['ladsweb.modaps.eosdis.nasa.gov'],
  login: 'urs.earthdata.nasa.gov (Earthdata Login → Generate Token)',
};

export const TOKEN_SERVICES: readonly TokenService[] = [EOG, LAADS];

/** The EOG variables under their historical names. */
export const TOKEN_ENV = EOG.env;
export const TOKEN_FILE_ENV = EOG.fileEnv;
export const TOKEN_HOSTS_ENV = EOG.hostsEnv;

export interface Token {
  readonly value: string;
  /** Where it came from, for messages ("NTL_EOG_TOKEN", "the file in NTL_EOG_TOKEN_FILE"). */
  readonly from: string;
  /** Hosts (lower-case host or host:port) the token is sent to. */
  readonly hosts: readonly string[];
  readonly service: TokenService;
}

/** The tokens the environment holds, one per service at most. */
export type Tokens = readonly Token[];

/** One service's token (undefined when its variables are unset). */
export function readToken(env: NodeJS.ProcessEnv = process.env, service: TokenService = EOG): Token | undefined {
  const hosts = [
    ...service.hosts,
    ...(env[service.hostsEnv] ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  ];
  const direct = env[service.env];
  if (direct !== undefined && direct.trim() !== '') return { value: direct.trim(), from: service.env, hosts, service };
  const file = env[service.fileEnv];
  if (file === undefined || file.trim() === '') return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a folder' : 'cannot be read';
    throw new NtlError(`${service.fileEnv} names ${file}: ${why}; point it at the file holding your ${service.name} token`);
  }
  const value = text.trim();
  if (value === '' || /\s/.test(value)) {
    throw new NtlError(
      `the token file ${file} (${service.fileEnv}) must hold exactly one token on one line; it is ${value === '' ? 'empty' : 'not a single word'}`,
    );
  }
  return { value, from: `the file in ${service.fileEnv}`, hosts, service };
}

/** Every service's token that is set. */
export function readTokens(env: NodeJS.ProcessEnv = process.env): Tokens {
  return TOKEN_SERVICES.map((s) => readToken(env, s)).filter((t): t is Token => t !== undefined);
}

/**
 * May this URL receive the token? Only https hosts on the list, or a listed host:port with that explicit
 * port (local tests). A plain http:// URL of a listed host does not: the token would travel in clear text.
 */
export function tokenAllowedFor(token: Token, url: URL): boolean {
  const host = url.hostname.toLowerCase();
  const hostPort = url.host.toLowerCase();
  if (url.port !== '' && token.hosts.includes(hostPort)) return true;
  return url.protocol === 'https:' && token.hosts.includes(host);
}

/** The token this URL may receive (the first service that lists its host), if any. */
export function tokenFor(tokens: Tokens | undefined, url: URL): Token | undefined {
  return tokens?.find((t) => tokenAllowedFor(t, url));
}

/**
 * The service a URL belongs to, for a 401/403 message: the one whose default or extra hosts list it, else
 * EOG (the historical default).
 */
export function serviceFor(url: string, env: NodeJS.ProcessEnv = process.env): TokenService {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return EOG;
  }
  const host = u.hostname.toLowerCase(),
    hostPort = u.host.toLowerCase();
  return (
    TOKEN_SERVICES.find((s) => {
      const hosts = [
        ...s.hosts,
        ...(env[s.hostsEnv] ?? '')
          .split(',')
          .map((h) => h.trim().toLowerCase())
          .filter(Boolean),
      ];
      return hosts.includes(host) || hosts.includes(hostPort);
    }) ?? EOG
  );
}

/** Replace every occurrence of any token in a text (messages, logs) by "***". */
export function redact(text: string, tokens: Token | Tokens | undefined): string {
  const list = tokens === undefined ? [] : Array.isArray(tokens) ? (tokens as Tokens) : [tokens as Token];
  let out = text;
  for (const t of list) if (t.value.length >= 4) out = out.split(t.value).join('***');
  return out;
}
