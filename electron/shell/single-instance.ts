/** The parts of a BrowserWindow that bringing it forward needs. */
export interface FocusableWindow {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
}

/**
 * A second launch of Keyrack (single-instance lock in main): the first instance brings its window forward
 * instead of opening a second store connection and a second token server on the same port. Returns whether
 * there was a window to show (main creates one when there was not, e.g. on macOS after closing it).
 */
export function focusExistingWindow(window: FocusableWindow | null): boolean {
  if (!window || window.isDestroyed()) return false;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
  return true;
}
