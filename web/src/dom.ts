// Small helpers to build the page without a framework: the UI is a handful of views.

type Attributes = Record<string, string | number | boolean | undefined | null | EventListener>;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Node | string | null | undefined | false)[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    // through the CSSOM: the server's Content-Security-Policy (style-src 'self') blocks style attributes
    else if (name === 'style') element.style.cssText = String(value);
    else element.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

let messageTimer: number | undefined;

/** Shows a sentence at the top of the page; errors stay until the next action, notices fade. */
export function showMessage(text: string, kind: 'error' | 'notice' = 'error'): void {
  const box = document.getElementById('message')!;
  box.textContent = text;
  box.className = `message ${kind}`;
  box.hidden = false;
  window.clearTimeout(messageTimer);
  if (kind === 'notice') messageTimer = window.setTimeout(() => { box.hidden = true; }, 5000);
}

export function clearMessage(): void {
  document.getElementById('message')!.hidden = true;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs an action behind a button: the button is disabled while it runs, and a failure becomes the page's message. */
export async function guarded(button: HTMLButtonElement | null, action: () => Promise<void>): Promise<void> {
  if (button) button.disabled = true;
  try {
    clearMessage();
    await action();
  } catch (error) {
    showMessage(errorText(error));
  } finally {
    if (button) button.disabled = false;
  }
}
