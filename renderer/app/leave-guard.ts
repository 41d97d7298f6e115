/**
 * "You have unsaved changes": the one place that knows whether leaving the current page would lose an edit
 * (issue 13: a changed form was dropped without a word when the admin clicked elsewhere).
 *
 * Forms register how to tell whether they hold unsaved changes (useUnsavedChanges); the router asks here
 * before it moves (router.tsx), and when any form says yes the move waits as `pending` until the person
 * answers the question (LeaveQuestion in Layout). Plain state, no window and no React, so the rules are
 * tested in Node (test/renderer/leave-guard.test.ts); router.tsx connects them to the hash and the window.
 */

/** Whether a form holds changes that are not saved. Asked at the moment of leaving, never cached. */
export type HasUnsavedChanges = () => boolean;

export class LeaveGuard {
  private readonly forms = new Set<HasUnsavedChanges>();
  private readonly listeners = new Set<() => void>();
  private waiting: string | null = null;
  /** A dialog's close waiting for the answer (mayClose): how to close it once the person agrees. */
  private closing: (() => void) | null = null;
  /**
   * A question was answered in the current task. Escape reaches both the question and the dialog under it
   * (Mantine listens on the window), so the key press that said "stay" would otherwise ask again at once.
   */
  private justAnswered = false;
  /** A move the person already agreed to (or that needed no question): passes the hash check once. */
  private agreed: string | null = null;

  /** Registers a form while it is shown; the returned function unregisters it. */
  register(hasUnsavedChanges: HasUnsavedChanges): () => void {
    this.forms.add(hasUnsavedChanges);
    return () => {
      this.forms.delete(hasUnsavedChanges);
    };
  }

  /** True when some form on screen would lose changes: the window's close and reload ask then too. */
  hasUnsavedChanges(): boolean {
    for (const form of this.forms) if (form()) return true;
    return false;
  }

  /**
   * May the app move to `path` now? Yes when nothing would be lost or the person already agreed to this
   * very move; otherwise the move waits as `pending` (the question shows) and the answer is no.
   */
  mayLeaveFor(path: string): boolean {
    if (this.agreed === path) {
      this.agreed = null;
      return true;
    }
    if (!this.hasUnsavedChanges()) return true;
    this.setPending(path);
    return false;
  }

  /** The move the next hash change makes is allowed without asking (router.tsx sets the hash right after). */
  allowOnce(path: string): void {
    this.agreed = path;
  }

  /**
   * A dialog holding a form asks to close (Escape, a click beside it, its ×: FormModal): `close` runs at once
   * when nothing would be lost, else after the person agrees to discard (`leave`). Escape is the easiest
   * key to press by accident, and a modal form is often the changed one (issue 13).
   */
  requestClose(close: () => void): void {
    if (this.justAnswered || this.closing !== null) return;
    if (!this.hasUnsavedChanges()) {
      close();
      return;
    }
    this.closing = close;
    this.notify();
  }

  /** The move waiting for the person's answer, or null when no question is open. */
  pending(): string | null {
    return this.waiting;
  }

  /** Which question is open: leaving the page, closing a dialog, or none. */
  question(): 'leave' | 'close' | null {
    return this.waiting !== null ? 'leave' : this.closing !== null ? 'close' : null;
  }

  /** "Stay": the edits stay and the question closes. */
  stay(): void {
    const wasClosing = this.closing !== null;
    this.closing = null;
    this.setPending(null);
    if (wasClosing) {
      this.justAnswered = true;
      setTimeout(() => {
        this.justAnswered = false;
      });
      this.notify();
    }
  }

  /**
   * "Leave": the waiting move, now agreed to (the caller makes it); null when none was waiting. A dialog
   * waiting to close is closed here.
   */
  leave(): string | null {
    const close = this.closing;
    this.closing = null;
    close?.();
    const path = this.waiting;
    this.setPending(null);
    if (path !== null) this.agreed = path;
    if (close !== null) this.notify();
    return path;
  }

  /** For useSyncExternalStore: called whenever `pending` changes. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private setPending(path: string | null): void {
    if (this.waiting === path) return;
    this.waiting = path;
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

/** The app's one guard: there is one page, so one question at a time. */
export const leaveGuard = new LeaveGuard();
