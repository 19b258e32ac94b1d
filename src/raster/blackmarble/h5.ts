/**
 * HDF5 access through h5wasm (the HDF5 C library compiled to WebAssembly; in Node it reads the host file
 * system directly, NODERAWFS, so a hyperslab read touches only the chunks it needs). Loaded on first use:
 * compiling the module takes about a second, which only Black Marble inputs should pay.
 */
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { NtlError } from '../../errors.js';

type H5 = typeof import('h5wasm/node');
export type H5File = InstanceType<H5['File']>;
export type H5Dataset = InstanceType<H5['Dataset']>;
export type H5Group = InstanceType<H5['Group']>;

let loading: Promise<H5> | null = null;

/** The h5wasm module, ready; HDF5 errors become exceptions (never printed to stderr by the C library). */
export function h5(): Promise<H5> {
  loading ??= (async () => {
    const mod = await import('h5wasm/node');
    const Module = await mod.ready;
    Module.activate_throwing_error_handler();
    return mod;
  })();
  return loading;
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Check that `path` exists and is an HDF5 file (the 8-byte signature at offset 0, 512, 1024, … as the HDF5
 * spec allows for a user block), so that a wrong file gets our message, not the C library's stack.
 */
export async function checkHdf5File(path: string): Promise<void> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NtlError(`raster file not found: ${path}. Check the path (relative paths start from ${process.cwd()}).`);
    throw new NtlError(`cannot open ${path}: ${(e as Error).message}`);
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw new NtlError(`${path} is a directory, not an HDF5 file.`);
    const buf = Buffer.alloc(8);
    for (let off = 0; off + 8 <= st.size && off <= 1 << 20; off = off === 0 ? 512 : off * 2) {
      await fh.read(buf, 0, 8, off);
      if (SIGNATURE.every((b, i) => buf[i] === b)) return;
    }
    throw new NtlError(
      `${path} is not an HDF5 file (no HDF5 signature${st.size < 8 ? `; the file has only ${st.size} bytes` : ''}). ` +
        'Black Marble tiles (VNP46A3/VNP46A4 *.h5 from LAADS DAAC) are HDF5; a truncated or HTML download is not — fetch it again.',
    );
  } finally {
    await fh.close();
  }
}

/** Open an HDF5 file read-only (after checkHdf5File). */
export async function openH5(path: string): Promise<H5File> {
  const mod = await h5();
  try {
    return new mod.File(resolve(path), 'r');
  } catch (e) {
    throw new NtlError(`cannot read the HDF5 file ${path}: ${h5Message(e)}. The file may be damaged; fetch it again.`);
  }
}

/** The first useful line of an h5wasm/HDF5 error (its full text is the C library's error stack). */
export function h5Message(e: unknown): string {
  const text = String((e as Error)?.message ?? e);
  const minor = [...text.matchAll(/minor: (.+)/g)].map((m) => m[1]!.trim()).pop();
  return minor ?? text.split('\n')[0]!.slice(0, 200);
}

export function isDataset(x: unknown): x is H5Dataset {
  return x !== null && typeof x === 'object' && (x as { constructor?: { name?: string } }).constructor?.name === 'Dataset';
}

export function isGroup(x: unknown): x is H5Group {
  const n = (x as { constructor?: { name?: string } } | null)?.constructor?.name;
  return n === 'Group' || n === 'File';
}

/** An attribute as one number (scalars, 1-element arrays, numeric strings); undefined when absent or not numeric. */
export function attrNumber(obj: { attrs: Record<string, { value: unknown }> }, name: string): number | undefined {
  const a = obj.attrs[name];
  if (!a) return undefined;
  let v: unknown = a.value;
  if (ArrayBuffer.isView(v) || Array.isArray(v)) v = (v as ArrayLike<unknown>).length === 1 ? (v as ArrayLike<unknown>)[0] : undefined;
  if (typeof v === 'bigint') v = Number(v);
  if (typeof v === 'string') v = v.trim() === '' ? undefined : Number(v.trim());
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** An attribute as text (strings, 1-element string arrays, numbers); undefined when absent. */
export function attrText(obj: { attrs: Record<string, { value: unknown }> }, name: string): string | undefined {
  const a = obj.attrs[name];
  if (!a) return undefined;
  let v: unknown = a.value;
  if (Array.isArray(v) && v.length === 1) v = v[0];
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return typeof v === 'string' ? v.replace(/\0+$/, '').trim() : undefined;
}
