// Calls to the Footage API with the credential the person typed (kept in sessionStorage only),
// a time limit on every request, and RFC 7807 problems turned into sentences a person understands.

export type Credential = { kind: 'key' | 'bearer'; value: string };

const storageKey = 'footage.credential';
const requestTimeoutMs = 20_000;

export function loadCredential(): Credential | null {
  const raw = sessionStorage.getItem(storageKey);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Credential;
    return parsed.value ? parsed : null;
  } catch {
    return null;
  }
}

export function saveCredential(credential: Credential | null): void {
  if (credential) sessionStorage.setItem(storageKey, JSON.stringify(credential));
  else sessionStorage.removeItem(storageKey);
}

export function authHeaders(): Record<string, string> {
  const credential = loadCredential();
  if (!credential) return {};
  return credential.kind === 'key' ? { 'X-Api-Key': credential.value } : { Authorization: `Bearer ${credential.value}` };
}

export class ApiError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

type Problem = { title?: string; detail?: string; errors?: Record<string, string[]> };

function sentenceFor(status: number, problem: Problem | null, retryAfter: string | null = null): string {
  const fields = problem?.errors
    ? Object.entries(problem.errors).map(([field, messages]) => `${field.replaceAll('_', ' ')} ${messages.join(', ')}`)
    : [];
  const detail = problem?.detail ?? (fields.length ? fields.join('; ') : problem?.title);
  switch (status) {
    case 400: return `The request was not accepted: ${detail ?? 'some value is malformed'}.`;
    case 401: return 'You are not signed in, or your key is no longer valid. Sign in again.';
    case 403: return 'Your role does not allow this. Ask an operator or an administrator.';
    case 404: return detail ? `Not found: ${detail}` : 'That was not found: it may have been deleted or never recorded.';
    case 409: return detail ? `This cannot be done right now: ${detail}` : 'This cannot be done right now because of a conflict.';
    case 410: return detail ? `This is no longer available: ${detail}` : 'This has expired and is no longer available.';
    case 422: return detail ? `This cannot be done: ${detail}` : 'This cannot be done with the given values.';
    case 429: {
      const seconds = Number.parseInt(retryAfter ?? '', 10);
      return `Too many requests or failed sign-ins from here. Try again ${Number.isFinite(seconds) && seconds > 0 ? `in ${seconds} seconds` : 'in a minute'}.`;
    }
    case 503: return 'The server is temporarily unable to answer. Try again in a moment.';
    default: return detail ? `The server reported a problem (${status}): ${detail}` : `The server reported a problem (${status}).`;
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), requestTimeoutMs);
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: { ...authHeaders(), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), Accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
    });
  } catch (error) {
    throw new ApiError(controller.signal.aborted
      ? `The server did not answer within ${requestTimeoutMs / 1000} seconds. Check the connection and try again.`
      : 'The server cannot be reached. Check the network connection.', 0);
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok) {
    let problem: Problem | null = null;
    try { problem = (await response.json()) as Problem; } catch { /* not JSON: the status says enough */ }
    throw new ApiError(sentenceFor(response.status, problem, response.headers.get('Retry-After')), response.status);
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const del = <T>(path: string, body?: unknown) => api<T>('DELETE', path, body);

export function query(values: Record<string, string | number | string[] | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one !== undefined && one !== null && one !== '') params.append(name, String(one));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
